/**
 * A loopback static file server: one directory, GET/HEAD only, regular files only (no listings, no
 * links), nothing outside the root, a content type by file extension. `granary site serve` previews a
 * site with it (directories answer with their index.html, optionally under a base path); the demo serves
 * an index with it.
 */
import { createReadStream } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** How many requests were answered, by status code. */
  readonly served: Map<number, number>;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The port to listen on (default: one the OS picks). */
  port?: number;
  /** The file a directory's URL answers with (`index.html` for a site); without it, directories are 404. */
  indexFile?: string;
  /** The URL path the directory is served under (`/x/`); other paths are 404, and `/` redirects here. */
  basePath?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

/** The content type a file is served with. */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
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

/** A regular file's size, when `file` is one and really lies inside `root`. */
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

async function isDirectoryInside(root: string, dir: string): Promise<boolean> {
  try {
    const info = await lstat(dir);
    return info.isDirectory() && (await realpath(dir)).startsWith(root + sep);
  } catch {
    return false;
  }
}

/** Serve the files under `dir` on 127.0.0.1. */
export async function serveDirectory(dir: string, options: ServeOptions = {}): Promise<StaticServer> {
  const root = await realpath(dir);
  const base = options.basePath ?? '/';
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
    if (base !== '/' && (path === '/' || path === base.slice(0, -1)))
      return answer(302, `see ${base}\n`, { location: base });
    if (!path.startsWith(base)) return answer(404, 'not found\n');
    let local = `/${path.slice(base.length)}`;
    if (options.indexFile !== undefined && local.endsWith('/')) local += options.indexFile;
    const file = filePathFor(root, local);
    const size = file === undefined ? undefined : await regularFileInside(root, file);
    if (file === undefined || size === undefined) {
      // A directory named without its slash: relative links on its index page need the slash.
      if (file !== undefined && options.indexFile !== undefined && (await isDirectoryInside(root, file)))
        return answer(301, `see ${path}/\n`, { location: `${path}/` });
      return answer(404, 'not found\n');
    }
    served.set(200, (served.get(200) ?? 0) + 1);
    // Index files and pages change between runs; clients must revalidate rather than keep a stale copy.
    res.writeHead(200, {
      'content-type': contentTypeOf(file),
      'content-length': String(size),
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
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
    server.listen(options.port ?? 0, '127.0.0.1', ready);
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
