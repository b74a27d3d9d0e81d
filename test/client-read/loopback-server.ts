/** A static index server on 127.0.0.1, port 0, with ETags, a request log, and scripted failures. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { sha256Hex } from '../../core/hash.js';

export interface LoopbackServer {
  url: string;
  files: Map<string, string>;
  /** Every request: method, path, status sent, and the If-None-Match it carried. */
  log: Array<{ path: string; status: number; ifNoneMatch: string | undefined }>;
  /** Answer the next n requests for `path` with `status`. */
  failNext(path: string, status: number, n?: number): void;
}

export async function serveIndex(files: Map<string, string>, prefix = '/registry/'): Promise<LoopbackServer> {
  const failures = new Map<string, { status: number; n: number }>();
  const log: LoopbackServer['log'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!)
      .slice(prefix.length - 1)
      .replace(/^\//, '');
    const ifNoneMatch = req.headers['if-none-match'];
    const send = (status: number, body?: string, headers: Record<string, string> = {}) => {
      log.push({ path, status, ifNoneMatch: typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined });
      res.writeHead(status, headers);
      res.end(body);
    };
    const failure = failures.get(path);
    if (failure && failure.n > 0) {
      failure.n--;
      return send(failure.status, 'failing on purpose');
    }
    const body = files.get(path);
    if (body === undefined) return send(404, 'not found');
    const etag = `"${sha256Hex(body).slice(0, 16)}"`;
    if (ifNoneMatch === etag) return send(304, undefined, { etag });
    return send(200, body, { etag, 'content-type': 'application/octet-stream' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  onTestFinished(
    () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    files,
    log,
    failNext(path, status, n = 1) {
      failures.set(path, { status, n });
    },
  };
}
