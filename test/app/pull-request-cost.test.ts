// What one pull_request event costs in GitHub requests does not grow with the registry, and a registry file of
// any size is judged (refused by its size) rather than crashing the check.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../curator/app/app.js';
import {
  API,
  adaptPullRequest,
  examplePayload,
  gateOnlyDependencies,
  mockInstallationToken,
  serveGitObjects,
  testProbot,
} from './support/github.js';
import { createRegistry, definition } from './support/registry.js';
import { captureCheckRuns, indexFile, prFiles, reviews } from './support/pr-mocks.js';

const deps = () => gateOnlyDependencies({ now: () => new Date('2024-06-01T00:00:00Z') });

/** Requests a scope answered, as `METHOD path` with SHAs and numbers generalized. */
function recorded(scope: nock.Scope): string[] {
  const seen: string[] = [];
  scope.on('request', (req: { method: string; path: string }) =>
    seen.push(`${req.method} ${req.path.replace(/[0-9a-f]{40}/g, 'SHA').replace(/\?.*$/, '')}`),
  );
  return seen;
}

/** A pull request adding `path` with `text` to a registry of a 40-package dependency chain. */
async function chainPullRequest(path: string, text: string | Buffer) {
  const { registry } = await createRegistry();
  const chain = 40;
  for (let i = 0; i < chain; i++) {
    const next = i + 1 < chain ? `dependencies:\n  link-${i + 1}: ^1.0.0` : undefined;
    await registry.write(
      `packages/link-${i}/1.0.0.yaml`,
      definition({
        name: `link-${i}`,
        version: '1.0.0',
        location: `github: codertocat/link-${i}`,
        ...(next ? { extra: next } : {}),
      }),
    );
  }
  const base = await registry.commit('a chain of packages');
  await registry.git('checkout', '-q', '-b', 'submit');
  await registry.write(path, text);
  const head = await registry.commit(`add ${path}`);
  return { registry, base, head };
}

async function deliver(pr: { registry: { dir: string }; base: string; head: string }, path: string, name: string) {
  const payload = adaptPullRequest(examplePayload('pull_request', 'opened'), {
    number: 12,
    headSha: pr.head,
    baseSha: pr.base,
    author: 'Codertocat',
  });
  const scope = nock(API);
  const requests = recorded(scope);
  await serveGitObjects(scope, pr.registry.dir, [pr.base, pr.head]);
  const token = mockInstallationToken(payload['installation'].id);
  const files = prFiles(12, { dir: pr.registry.dir, commit: pr.head }, path);
  const index = indexFile(name);
  const revs = reviews(12, []);
  const bodies: Array<Record<string, any>> = [];
  const check = captureCheckRuns(bodies);
  const probot = testProbot();
  await probot.load(createApp(deps()));
  await probot.receive({ id: `cost-${name}`, name: 'pull_request', payload } as never);
  for (const s of [token, files, index, revs, check]) s.done();
  return { requests, body: bodies[0]! };
}

describe('the cost of one pull_request event', () => {
  it('reads the base from one archive: trees, the archive and the added file, however deep the graph', async () => {
    const path = 'packages/link-0/1.1.0.yaml';
    const pr = await chainPullRequest(
      path,
      definition({
        name: 'link-0',
        version: '1.1.0',
        location: 'github: codertocat/link-0',
        extra: 'dependencies:\n  link-1: ^1.0.0',
      }),
    );
    const { requests, body } = await deliver(pr, path, 'link-0');
    expect(body['conclusion']).toBe('success');
    // The cycle walk read all 40 definitions of the chain; none of them cost a request.
    expect(requests.sort()).toEqual([
      'GET /repos/granary-test/registry/git/blobs/SHA',
      'GET /repos/granary-test/registry/git/trees/SHA',
      'GET /repos/granary-test/registry/git/trees/SHA',
      'GET /repos/granary-test/registry/tarball/SHA',
    ]);
  });

  it('refuses a definition over 1 MiB by its size, with the rule and the file, instead of failing to check', async () => {
    const path = 'packages/huge/1.0.0.yaml';
    const pr = await chainPullRequest(path, Buffer.alloc(1024 * 1024 + 512, '#'));
    const { body } = await deliver(pr, path, 'huge');
    expect(body['conclusion']).toBe('failure');
    expect(body['output'].annotations).toEqual([
      expect.objectContaining({ path, title: 'file-too-large', message: expect.stringMatching(/1049088 bytes/) }),
    ]);
  });
});
