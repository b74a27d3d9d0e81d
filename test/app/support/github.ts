// Shared pieces for app tests: real webhook examples adapted to a test repository, a Probot wired for nock, and git objects served from a real repository.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { appOctokit } from '../../../curator/app/app-octokit.js';
import type { AppDependencies } from '../../../curator/app/dependencies.js';
import { validateChange } from '../../../curator/validate/index.js';
import { gitIn } from '../../helpers/git.js';
import { SINCE_RECORDED } from '../../stores/github-fixtures.js';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

export const OWNER = 'granary-test';
export const REPO = 'registry';
export const API = 'https://api.github.com';
export const TOKEN = 'ghs_installationtoken0000000000000000000';

interface Example {
  name: string;
  examples: Array<Record<string, unknown>>;
}
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];

/** A real example payload of `event` with `action` (and an installation), deep-copied. */
export function examplePayload(event: string, action?: string): Record<string, any> {
  const group = examples.find((e) => e.name === event);
  const found = group?.examples.find(
    (x) => (action === undefined || x['action'] === action) && x['installation'] !== undefined,
  );
  if (!found) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found) as Record<string, any>;
}

/** An object inside a real example payload (e.g. `check_run`), as the shape of an API response. */
export function exampleObject(event: string, key: string): Record<string, any> {
  const found = examples.find((e) => e.name === event)?.examples.find((x) => x[key] !== undefined);
  if (!found) throw new Error(`no example ${event} with ${key}`);
  const object = structuredClone(found[key]) as Record<string, any>;
  // What today's API description requires of these objects and the recorded examples predate.
  if (key === 'pull_request') return { ...SINCE_RECORDED.pullRequest, ...object };
  if (key === 'repository') return { ...SINCE_RECORDED.repository, ...object };
  if (key === 'review') return { ...object, body: object['body'] ?? '' };
  return object;
}

/** Point a payload's repository at the test repository. */
export function adaptRepository(payload: Record<string, any>): Record<string, any> {
  const repository = payload['repository'];
  repository.name = REPO;
  repository.full_name = `${OWNER}/${REPO}`;
  repository.owner.login = OWNER;
  repository.default_branch = 'main';
  return payload;
}

export interface PullRequestFields {
  number: number;
  headSha: string;
  baseSha: string;
  author: string;
  association?: string;
  merged?: boolean;
  mergeSha?: string;
}

/** Adapt an example pull_request / pull_request_review payload: only repository and PR fields change. */
export function adaptPullRequest(payload: Record<string, any>, fields: PullRequestFields): Record<string, any> {
  adaptRepository(payload);
  const pr = payload['pull_request'];
  payload['number'] = fields.number;
  pr.number = fields.number;
  pr.state = fields.merged === undefined ? 'open' : 'closed';
  pr.head.sha = fields.headSha;
  pr.base.sha = fields.baseSha;
  pr.base.ref = 'main';
  pr.user.login = fields.author;
  pr.author_association = fields.association ?? 'CONTRIBUTOR';
  if (fields.merged !== undefined) {
    pr.merged = fields.merged;
    pr.merge_commit_sha = fields.mergeSha ?? null;
  }
  return payload;
}

let appKey: string | undefined;
/** An RSA key like the one GitHub generates for an app (made once per test file). */
export function appPrivateKey(): string {
  appKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  return appKey;
}

/** A Probot instance whose retries wait 1 ms per unit instead of a second. */
/**
 * A Probot for tests. `throttled`: the app's own Octokit (rate limits waited out, as in production) with
 * time scaled down (a second of `retry-after` is a millisecond) and writes not spaced.
 */
export function testProbot(secret = 'test-secret', options: { throttled?: boolean } = {}): Probot {
  if (options.throttled === true)
    return new Probot({
      appId: 1,
      privateKey: appPrivateKey(),
      secret,
      logLevel: 'fatal',
      Octokit: appOctokit({ retryAfterBaseValue: 1, unspacedWrites: true }),
    });
  return new Probot({
    appId: 1,
    privateKey: appPrivateKey(),
    secret,
    logLevel: 'fatal',
    // A function default runs last, so it overrides the throttle options Probot layers in (whose write spacing is a second).
    Octokit: ProbotOctokit.defaults((options: Record<string, any>) => ({
      ...options,
      retry: { ...options['retry'], retryAfterBaseValue: 1 },
      throttle: { ...options['throttle'], enabled: false },
    })),
  });
}

/** `x-hub-signature-256` for a body. */
export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The installation token exchange Probot makes before the first API call of an event. */
export function mockInstallationToken(installationId: number): nock.Scope {
  return nock(API)
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, {
      token: TOKEN,
      expires_at: '2099-01-01T00:00:00Z',
      permissions: { checks: 'write', contents: 'write', pull_requests: 'write', metadata: 'read' },
      repository_selection: 'selected',
    });
}

/** Where GitHub redirects an archive download (not an API host). */
export const CODELOAD = 'https://codeload.github.com';

/**
 * Serve GET git/trees/<commit>?recursive=true, git/blobs/<sha> and tarball/<commit> from a real repository,
 * as GitHub would: the tarball is a 302 to codeload, whose archive `git archive` makes (GitHub's top folder
 * is `<owner>-<repo>-<short sha>/`).
 */
export async function serveGitObjects(
  scope: nock.Scope,
  repoDir: string,
  commits: string[],
  options: { archives?: boolean } = {},
): Promise<void> {
  for (const commit of commits) {
    if (options.archives !== false) serveArchive(scope, repoDir, commit);
    const treeSha = await gitIn(repoDir, 'rev-parse', `${commit}^{tree}`);
    const listing = await gitIn(repoDir, 'ls-tree', '-r', '-t', '-l', '--full-tree', commit);
    const tree = listing
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, type, sha, size] = meta.split(/\s+/) as [string, string, string, string];
        return {
          path,
          mode,
          type,
          sha,
          ...(type === 'blob' ? { size: Number(size) } : {}),
          url: `${API}/repos/${OWNER}/${REPO}/git/${type}s/${sha}`,
        };
      });
    scope
      .get(`/repos/${OWNER}/${REPO}/git/trees/${commit}`)
      .query({ recursive: 'true' })
      .optionally()
      .reply(200, { sha: treeSha, url: `${API}/repos/${OWNER}/${REPO}/git/trees/${treeSha}`, tree, truncated: false });
  }
  scope
    .get(new RegExp(`^/repos/${OWNER}/${REPO}/git/blobs/[0-9a-f]{40}$`))
    .optionally()
    .times(1000)
    .reply(async (uri) => {
      const sha = uri.slice(uri.lastIndexOf('/') + 1);
      const { stdout: content } = await run('git', ['cat-file', 'blob', sha], {
        cwd: repoDir,
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
      });
      return [
        200,
        {
          sha,
          node_id: 'B_test',
          size: content.length,
          url: `${API}${uri}`,
          content: content.toString('base64'),
          encoding: 'base64',
        },
      ];
    });
}

/** GET tarball/<commit>: a 302 to codeload, which answers with the archive of `source` (default: that commit). */
export function serveArchive(scope: nock.Scope, repoDir: string, commit: string, source = commit): void {
  scope
    .get(`/repos/${OWNER}/${REPO}/tarball/${commit}`)
    .optionally()
    .reply(302, '', { location: `${CODELOAD}/${OWNER}/${REPO}/legacy.tar.gz/${commit}` });
  nock(CODELOAD)
    .get(`/${OWNER}/${REPO}/legacy.tar.gz/${commit}`)
    .optionally()
    .reply(async () => {
      const prefix = `${OWNER}-${REPO}-${commit.slice(0, 7)}/`;
      const args = ['archive', '--format=tar.gz', `--prefix=${prefix}`, source];
      const { stdout } = await run('git', args, { cwd: repoDir, encoding: 'buffer' });
      return [200, stdout, { 'content-type': 'application/x-gzip' }];
    });
}

/** The app's parts for tests that only check pull requests: the real gate, and nothing that publishes. */
export function gateOnlyDependencies(extra: Partial<AppDependencies> = {}): AppDependencies {
  const unused = () => {
    throw new Error('not used by pull request checks');
  };
  return {
    validateChange,
    curate: unused,
    checkout: { clone: unused, pushIndex: unused, release: unused },
    stores: unused,
    ...extra,
  };
}

/** GitHub's pull request object (a real example's shape) for pull request `number`. */
export function pullRequestObject(fields: {
  number: number;
  author: string;
  headSha: string;
  baseSha?: string;
  state?: 'open' | 'closed';
}): Record<string, any> {
  const example = exampleObject('pull_request', 'pull_request');
  return {
    ...example,
    number: fields.number,
    state: fields.state ?? 'open',
    user: { ...example['user'], login: fields.author },
    head: { ...example['head'], sha: fields.headSha },
    ...(fields.baseSha === undefined ? {} : { base: { ...example['base'], sha: fields.baseSha } }),
  };
}
