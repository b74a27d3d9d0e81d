/** `--store SPEC` → a ReleaseStore: `fs:DIR` or `github:OWNER/REPO`. */
import { resolve } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { UsageError, shown } from '../../core/errors.js';
import type { ReleaseLayout } from '../../core/registry-config.js';
import type { Pacer } from '../github/pacer.js';
import { createFsStore } from './fs-store.js';
import { createGitHubStore } from './github-store.js';
import { createOctokit } from '../github/octokit.js';
import type { ReleaseStore } from './store.js';

/** What building a store from its spec needs: where relative paths start, the environment, a GitHub client. */
export interface StoreSpecOptions {
  /** Relative `fs:` directories resolve against this. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** An authenticated Octokit (the app's installation client); otherwise one is made from GITHUB_TOKEN / GH_TOKEN. */
  octokit?: Octokit;
  /** registry.yaml `releases`: how a `github:` store lays out its releases (default per-package). */
  releases?: ReleaseLayout;
  /** Paces a `github:` store's content-creating requests (registry.yaml `limits.githubWrites*`). */
  pacer?: Pacer;
}

const VALID_FORMS =
  '`fs:DIR` (a directory, relative to the working directory) or `github:OWNER/REPO` (GitHub Releases)';

/** Build the store a spec names; UsageError (exit 2) with the valid forms when it names none. */
export function parseStoreSpec(spec: string, options: StoreSpecOptions): ReleaseStore {
  const colon = typeof spec === 'string' ? spec.indexOf(':') : -1;
  const scheme = colon > 0 ? spec.slice(0, colon) : '';
  const rest = colon > 0 ? spec.slice(colon + 1) : '';
  if (scheme === 'fs') {
    if (rest.length === 0 || rest.includes('\0')) {
      throw new UsageError(`store ${shown(spec)} names no directory`, {
        where: '--store',
        hint: 'use fs:DIR, e.g. fs:./releases',
      });
    }
    return createFsStore(resolve(options.cwd, rest));
  }
  if (scheme === 'github') return githubStore(spec, rest, options);
  throw new UsageError(`unknown store ${shown(spec)}`, { where: '--store', hint: `a store is ${VALID_FORMS}` });
}

function githubStore(spec: string, rest: string, options: StoreSpecOptions): ReleaseStore {
  const match = /^([^/]+)\/([^/]+)$/.exec(rest);
  if (!match) {
    throw new UsageError(`store ${shown(spec)} is not github:OWNER/REPO`, {
      where: '--store',
      hint: 'e.g. github:acme/registry-assets',
    });
  }
  const env = options.env;
  const apiUrl = nonEmpty(env['GITHUB_API_URL']);
  let octokit = options.octokit;
  if (!octokit) {
    const token = nonEmpty(env['GITHUB_TOKEN']) ?? nonEmpty(env['GH_TOKEN']);
    if (!token) {
      throw new UsageError(`store ${shown(spec)} needs a GitHub token`, {
        where: '--store',
        hint: 'set GITHUB_TOKEN (or GH_TOKEN) to a token with `contents: write` permission on the repository; in Actions, `permissions: contents: write` and `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`',
      });
    }
    octokit = createOctokit({ token, ...(apiUrl ? { baseUrl: apiUrl } : {}) });
  }
  const serverUrl = nonEmpty(env['GITHUB_SERVER_URL']) ?? (apiUrl ? serverUrlFromApi(apiUrl) : undefined);
  return createGitHubStore({
    owner: match[1]!,
    repo: match[2]!,
    octokit,
    ...(serverUrl ? { serverUrl } : {}),
    ...(options.releases ? { releases: options.releases } : {}),
    ...(options.pacer ? { pacer: options.pacer } : {}),
  });
}

/** `https://HOST/api/v3` → `https://HOST`; `https://api.github.com` → `https://github.com`. */
export function serverUrlFromApi(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch (error) {
    throw new UsageError(`GITHUB_API_URL is not a URL: ${shown(apiUrl)}`, {
      where: 'GITHUB_API_URL',
      hint: 'e.g. https://github.example.com/api/v3',
      cause: error,
    });
  }
  if (url.hostname === 'api.github.com') return 'https://github.com';
  if (url.hostname.startsWith('api.') && url.pathname.replace(/\/+$/, '') === '')
    return `${url.protocol}//${url.host.slice(4)}`;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '')}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim().length > 0 ? value.trim() : undefined;
}
