/** The app's real parts: the validate rules, curate, the GitHub release store and a git checkout over https. */
import type { Octokit } from '@octokit/rest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curate } from '../curate/curate.js';
import { createPackableCheck } from '../pack/check.js';
import { createGitHubStore } from '../stores/github-store.js';
import { createPacer, type Pacer } from '../github/pacer.js';
import { DEFAULT_LIMITS, type RegistryConfig } from '../../core/registry-config.js';
import { serverUrlFromApi } from '../stores/spec.js';
import { validateChange } from '../validate/index.js';
import type { AppConfig } from './config.js';
import type { AppDependencies } from './dependencies.js';
import { createGitCheckout } from './registry-checkout.js';

/** Dependencies for a running app, from its checked configuration. */
export function productionDependencies(config: AppConfig): AppDependencies {
  // One pacer per repository for the life of the process: GitHub's hourly window spans curation runs.
  const pacers = new Map<string, Pacer>();
  const pacerFor = (repository: string, limits: RegistryConfig['limits']): Pacer => {
    let pacer = pacers.get(repository);
    if (pacer === undefined) {
      pacer = createPacer({ perMinute: limits.githubWritesPerMinute, perHour: limits.githubWritesPerHour });
      pacers.set(repository, pacer);
    }
    return pacer;
  };
  // GitHub Enterprise Server: one API URL (GHE_HOST / GITHUB_API_URL) gives the web URL every link and clone uses.
  const webUrl = config.baseUrl ? serverUrlFromApi(config.baseUrl) : 'https://github.com';
  return {
    validateChange,
    curate,
    // Dry-run packs each added version against the base's limits and allowed sources; file:// sources stay refused on a public registry.
    checkPackable: (registry) => createPackableCheck(registry, { cwd: config.workDir ?? tmpdir() }),
    checkout: createGitCheckout({
      ...(config.workDir ? { workDir: config.workDir } : {}),
      remoteUrl: (owner, repo) => `${webUrl}/${owner}/${repo}.git`,
    }),
    // The event's client already retries 5xx answers and waits out rate limits (Probot's retry and throttling plugins).
    stores: ({ owner, repo, octokit, releases, limits = DEFAULT_LIMITS }) => [
      createGitHubStore({
        owner,
        repo,
        octokit: octokit as Octokit,
        serverUrl: webUrl,
        releases,
        pacer: pacerFor(`${owner}/${repo}`.toLowerCase(), limits),
      }),
    ],
    ...(config.signingKeyPem === undefined ? {} : { signingKeyPem: config.signingKeyPem }),
    downloadStats: true,
    // Outlives the clones: each tarball the site reads is downloaded and verified once.
    site: { cacheDir: join(config.workDir ?? tmpdir(), 'granary-site-cache') },
    webUrl,
    repositories: config.repositories,
  };
}
