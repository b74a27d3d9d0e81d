// Webhooks over HTTP on a loopback server: signatures are checked on the raw body before anything runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createNodeMiddleware } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../curator/app/app.js';
import {
  API,
  adaptPullRequest,
  examplePayload,
  gateOnlyDependencies,
  mockInstallationToken,
  serveGitObjects,
  sign,
  testProbot,
} from './support/github.js';
import { captureCheckRuns, indexFile, prFiles, pullRequestWith, reviews } from './support/pr-mocks.js';
import { definition } from './support/registry.js';

const SECRET = 'loopback-secret';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(): Promise<string> {
  const deps = gateOnlyDependencies();
  const middleware = await createNodeMiddleware(createApp(deps), { probot: testProbot(SECRET) });
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
}

function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': crypto.randomUUID(),
      ...headers,
    },
  });
}

describe('webhook HTTP endpoint', () => {
  it('handles a correctly signed delivery: the PR gets a check run', async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const payload = adaptPullRequest(examplePayload('pull_request', 'opened'), {
      number: 3,
      headSha: head,
      baseSha: base,
      author: 'Codertocat',
    });
    await serveGitObjects(nock(API), registry.dir, [base, head]);
    const bodies: Array<Record<string, any>> = [];
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      prFiles(3, { dir: registry.dir, commit: head }),
      indexFile('left-pad'),
      reviews(3, []),
      captureCheckRuns(bodies),
    ];
    const url = await listen();
    const body = JSON.stringify(payload);
    const response = await post(url, body, { 'x-hub-signature-256': sign(SECRET, body) });
    expect(response.status).toBe(200);
    for (const m of mocks) m.done();
    expect(bodies.map((b) => [b['name'], b['head_sha'], b['conclusion']])).toEqual([
      ['granary/validate', head, 'success'],
    ]);
  });

  it('refuses forged, stale and missing signatures with 4xx and calls no API', async () => {
    const payload = adaptPullRequest(examplePayload('pull_request', 'opened'), {
      number: 3,
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      author: 'Codertocat',
    });
    const url = await listen();
    const body = JSON.stringify(payload);
    const attempted: string[] = [];
    // Loopback deliveries pass through nock too; anything else would be an attempt to reach GitHub.
    const record = (req: { path: string }) =>
      void (req.path.startsWith('/api/github/webhooks') || attempted.push(req.path));
    nock.emitter.on('no match', record);
    try {
      const forged = await post(url, body, { 'x-hub-signature-256': sign('not-the-secret', body) });
      // Signed with the right secret, but over different bytes (an old payload replayed with a new body).
      const stale = await post(url, body.replace('"opened"', '"reopened"'), {
        'x-hub-signature-256': sign(SECRET, body),
      });
      const missing = await post(url, body, {});
      for (const r of [forged, stale, missing]) {
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
      }
      expect(await forged.json()).toEqual({ error: expect.stringContaining('signature does not match') });
      expect(await stale.json()).toEqual({ error: expect.stringContaining('signature does not match') });
      expect(await missing.json()).toEqual({ error: 'Required headers missing: x-hub-signature-256' });
    } finally {
      nock.emitter.off('no match', record);
    }
    expect(attempted).toEqual([]);
  });
});
