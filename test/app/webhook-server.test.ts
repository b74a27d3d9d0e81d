// The app's own HTTP endpoint on loopback: a body over 25 MB is refused before it is read, a bad signature
// before anything is parsed, refusals are logged by delivery id and reason only, and /health answers.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../curator/app/app.js';
import { MAX_WEBHOOK_BYTES, webhookListener } from '../../curator/app/webhook-server.js';
import {
  appPrivateKey,
  examplePayload,
  adaptRepository,
  gateOnlyDependencies,
  sign,
  testProbot,
} from './support/github.js';

const SECRET = 'endpoint-secret';
const PATH = '/api/github/webhooks';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handled: string[], logged: string[]): Promise<number> {
  const deps = gateOnlyDependencies();
  const probot = testProbot(SECRET);
  await probot.load(createApp(deps));
  probot.webhooks.onAny((event) => void handled.push(event.id));
  const server = createServer(
    webhookListener(probot, {
      path: PATH,
      log: { warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    }),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** POST with the given headers, writing only `send` bytes of the body; resolves with the status. */
function post(
  port: number,
  headers: Record<string, string | number>,
  send: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: PATH, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    req.write(send);
    // The body is never finished when the test declares more than it sends: the server must answer anyway.
    if (headers['content-length'] === undefined || Number(headers['content-length']) === send.length) req.end();
  });
}

const delivery = (id: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  'x-github-event': 'push',
  'x-github-delivery': id,
  ...extra,
});

describe('the webhook endpoint', () => {
  it('refuses a 30 MB body by its length before reading it, and logs only the id and the reason', async () => {
    const handled: string[] = [];
    const logged: string[] = [];
    const port = await listen(handled, logged);
    const declared = 30 * 1024 * 1024;
    // Only 1 KiB of the 30 MB is ever sent: an endpoint that read before refusing would wait forever.
    const { status } = await post(
      port,
      { ...delivery('big-1', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }), 'content-length': declared },
      Buffer.alloc(1024, 0x7b),
    );
    expect(status).toBe(413);
    expect(logged).toEqual([
      `webhook delivery big-1 refused: the body is ${declared} bytes, over ${MAX_WEBHOOK_BYTES}`,
    ]);
    expect(handled).toEqual([]);
  });

  it('refuses a body that streams past 25 MB without a length', async () => {
    const handled: string[] = [];
    const logged: string[] = [];
    const port = await listen(handled, logged);
    const { status } = await post(
      port,
      { ...delivery('big-2', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }), 'transfer-encoding': 'chunked' },
      Buffer.alloc(MAX_WEBHOOK_BYTES + 1024, 0x20),
    );
    expect(status).toBe(413);
    expect(logged).toEqual([`webhook delivery big-2 refused: the body grew past ${MAX_WEBHOOK_BYTES} bytes`]);
    expect(handled).toEqual([]);
  });

  it('refuses a wrong signature before parsing (the body is not even JSON), and a missing one', async () => {
    const handled: string[] = [];
    const logged: string[] = [];
    const port = await listen(handled, logged);
    const body = Buffer.from('this is not JSON, and a secret token: ghp_should_not_be_logged');
    const wrong = await post(
      port,
      delivery('sig-1', { 'x-hub-signature-256': sign('another-secret', body.toString()) }),
      body,
    );
    const missing = await post(port, delivery('sig-2'), body);
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    expect(logged).toEqual([
      'webhook delivery sig-1 refused: the signature does not match',
      'webhook delivery sig-2 refused: X-Hub-Signature-256 is required',
    ]);
    expect(logged.join('\n')).not.toContain('ghp_');
    expect(handled).toEqual([]);
  });

  it('hands a correctly signed delivery to the app, and answers /health', async () => {
    const handled: string[] = [];
    const logged: string[] = [];
    const port = await listen(handled, logged);
    const payload = adaptRepository(examplePayload('push'));
    payload['ref'] = 'refs/heads/feature';
    const body = JSON.stringify(payload);
    const { status } = await post(
      port,
      delivery('good-1', { 'x-hub-signature-256': sign(SECRET, body) }),
      Buffer.from(body),
    );
    expect(status).toBe(200);
    expect(handled).toEqual(['good-1']);
    expect(logged).toEqual([]);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toMatch(/^ok/);
  });

  it('is what the app serves when started from its configuration', async () => {
    const { loadAppConfig } = await import('../../curator/app/config.js');
    const { startServer } = await import('../../curator/app/start.js');
    const config = loadAppConfig(
      {
        APP_ID: '12345',
        PRIVATE_KEY: appPrivateKey(),
        WEBHOOK_SECRET: SECRET,
        GRANARY_REPOSITORIES: 'acme/registry',
        PORT: '0',
        HOST: '127.0.0.1',
        GRANARY_RECONCILE_MINUTES: '0',
        LOG_LEVEL: 'fatal',
      },
      { readFile: () => '' },
    );
    const { server, port, drain } = await startServer(config, gateOnlyDependencies());
    try {
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const big = await post(
        port,
        { ...delivery('big-3', { 'x-hub-signature-256': 'sha256=0' }), 'content-length': 30 * 1024 * 1024 },
        Buffer.alloc(16),
      );
      expect(big.status).toBe(413);
    } finally {
      await server.stop();
      await drain();
    }
  });
});
