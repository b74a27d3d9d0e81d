/** A loopback static file server on a random port, counting requests and injecting faults on demand. */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

/**
 * What to do instead of serving a request: answer with a status, drop the connection (`reset`),
 * never answer (`hang`), send half the body and drop the connection (`truncate`), or send the body one
 * byte every `trickleMs` (a server that is alive but never finishes in any useful time).
 */
export type Fault = { status: number } | { trickleMs: number } | 'reset' | 'hang' | 'truncate';

/** Decides a fault from the request path (decoded, starting with `/`) and how many times that path was asked for (1 = first). */
export type FaultRule = (path: string, attempt: number) => Fault | undefined;

export interface StaticServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** Every request, in order. */
  readonly requests: Array<{ method: string; path: string; status: number }>;
  /** How many requests asked for `path`. */
  count(path: string): number;
  /** Replace the fault rule (undefined: serve normally). */
  setFault(rule: FaultRule | undefined): void;
  close(): Promise<void>;
}

/** Serve `root` on 127.0.0.1 at a port the OS picks; `ETag`/`If-None-Match` supported, no directory listings. */
export async function serveDirectory(root: string, options: { fault?: FaultRule } = {}): Promise<StaticServer> {
  let fault = options.fault;
  const requests: StaticServer['requests'] = [];
  const counts = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      path = '/';
    }
    const attempt = (counts.get(path) ?? 0) + 1;
    counts.set(path, attempt);
    const entry = { method: req.method ?? 'GET', path, status: 0 };
    requests.push(entry);
    const send = (status: number, body = ''): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }).end(body);
    };

    const injected = fault?.(path, attempt);
    if (injected === 'reset') return void req.socket.destroy();
    if (injected === 'hang') return;
    if (typeof injected === 'object' && 'status' in injected)
      return send(injected.status, `injected ${injected.status}\n`);

    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep))
      return send(403, 'outside the root\n');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return send(404, 'not found\n');
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    if (req.headers['if-none-match'] === etag) {
      entry.status = 304;
      return void res.writeHead(304, { etag }).end();
    }
    entry.status = 200;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size, etag });
    if (req.method === 'HEAD') return void res.end();
    if (typeof injected === 'object') {
      const bytes = await readFile(file);
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent >= bytes.length) return void (clearInterval(timer), res.end());
        res.write(bytes.subarray(sent, ++sent));
      }, injected.trickleMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (injected === 'truncate') {
      const half = Math.floor(info.size / 2);
      createReadStream(file, { start: 0, end: Math.max(0, half - 1) })
        .on('end', () => setImmediate(() => req.socket.destroy()))
        .pipe(res, { end: false });
      return;
    }
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => counts.get(path) ?? 0,
    setFault: (rule) => void (fault = rule),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
