/**
 * The app's HTTP endpoint. Webhooks come from anyone on the internet until their signature says otherwise,
 * so the endpoint refuses a body over GitHub's 25 MB before reading it (by its Content-Length) or as soon
 * as it grows past it, verifies the signature on the raw bytes before parsing anything, and logs a refused
 * delivery's id and reason only. `GET /health` answers for load balancers and probes.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Probot } from 'probot';

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** GitHub waits 10 s for an answer; after this the delivery is answered 202 and keeps running. */
const ANSWER_WITHIN_MS = 9_000;

export interface WebhookServerOptions {
  path: string;
  /** The app's logger for refusals (id and reason only). */
  log: { warn(message: string): void; error(message: string): void };
  maxBytes?: number;
  /** How many deliveries are running (for /health). */
  busy?: () => number;
}

export function webhookListener(probot: Probot, options: WebhookServerOptions): RequestListener {
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const answer = (res: ServerResponse, status: number, text: string) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${text}\n`);
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    if (req.method === 'GET' && url.pathname === '/health')
      return answer(res, 200, `ok${options.busy ? ` (${options.busy()} repositories busy)` : ''}`);
    if (url.pathname !== options.path) return refuse(req, res, 404, 'not found');
    if (req.method !== 'POST') return refuse(req, res, 405, 'webhooks are POSTed');
    const id = header(req, 'x-github-delivery');
    const name = header(req, 'x-github-event');
    const signature = header(req, 'x-hub-signature-256');
    const refused = (status: number, reason: string) => {
      options.log.warn(`webhook delivery ${id ?? '(no id)'} refused: ${reason}`);
      refuse(req, res, status, reason);
    };
    if (id === undefined || name === undefined)
      return refused(400, 'X-GitHub-Delivery and X-GitHub-Event are required');
    if (signature === undefined) return refused(401, 'X-Hub-Signature-256 is required');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) return refused(413, `the body is ${declared} bytes, over ${maxBytes}`);

    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        chunks.length = 0;
        refused(413, `the body grew past ${maxBytes} bytes`);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (over) return;
      void deliver(Buffer.concat(chunks).toString('utf8'));
    });

    const deliver = async (body: string) => {
      if (!(await probot.webhooks.verify(body, signature))) return refused(401, 'the signature does not match');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return refused(400, 'the body is not JSON');
      }
      const running = probot.receive({ id, name, payload } as never).then(
        () => 'done' as const,
        (error: unknown) => {
          options.log.error(`webhook delivery ${id} failed: ${(error as Error)?.message ?? String(error)}`);
          return 'failed' as const;
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), ANSWER_WITHIN_MS);
      });
      const outcome = await Promise.race([running, late]);
      clearTimeout(timer);
      if (outcome === 'done') answer(res, 200, 'ok');
      else if (outcome === 'failed') answer(res, 500, 'the delivery failed; redeliver it once the cause is fixed');
      else answer(res, 202, 'accepted; still running');
    };
  };
}

/** One header's value (the first, when repeated). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Answer and drop the connection without reading what is left of the body. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
  if (!res.headersSent)
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(`${reason}\n`);
  res.once('finish', () => req.destroy());
}
