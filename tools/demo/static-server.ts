/** A loopback static file server for the demo: one directory, GET/HEAD only, regular files only (no listings, no links), nothing outside the root. */
import { createReadStream } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** How many requests were answered, by status code. */
  readonly served: Map<number, number>;
  close(): Promise<void>;
}

/** The file a URL path names under `root`, or undefined when the path is not a plain relative file path. */
export function filePathFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').slice(1);
  // Dot segments (`..`, `.`, `.git`), empty segments, backslashes and NULs are never part of a served file's path.
  if (
    segments.length === 0 ||
    segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))
  )
    return undefined;
  return join(root, ...segments);
}

async function regularFileInside(root: string, file: string): Promise<number | undefined> {
  try {
    // lstat: a symbolic link itself is never served.
    const info = await lstat(file);
    if (!info.isFile()) return undefined;
    // A linked directory on the way could still lead out of the root; the real path must stay inside it.
    const real = await realpath(file);
    return real.startsWith(root + sep) ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/** Serve the files under `dir` on 127.0.0.1 at a port the OS picks. */
export async function serveDirectory(dir: string): Promise<StaticServer> {
  const root = await realpath(dir);
  const served = new Map<number, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number, body: string, headers: Record<string, string> = {}): void => {
      served.set(status, (served.get(status) ?? 0) + 1);
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return answer(405, 'method not allowed\n', { allow: 'GET, HEAD' });
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = filePathFor(root, path);
    const size = file === undefined ? undefined : await regularFileInside(root, file);
    if (file === undefined || size === undefined) return answer(404, 'not found\n');
    served.set(200, (served.get(200) ?? 0) + 1);
    // Index files change between curate runs; clients must revalidate rather than keep a stale copy.
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ready);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
