/**
 * A caching reverse proxy on 127.0.0.1, port 0, in front of an origin: a CDN as the client meets it. Every
 * answer (200 and 404 alike: negative caching) is kept by path for `ttlMs` of a clock the test controls;
 * paths `fresh` picks are fetched from the origin every time. `If-None-Match` is answered from the cache.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { sha256Hex } from '../../core/hash.js';

export interface CachingProxyOptions {
  /** The origin's base URL, without a trailing slash. */
  origin: string;
  /** The proxy's clock in milliseconds (the test advances it; no real waiting). */
  now: () => number;
  ttlMs: number;
  /** Paths (decoded, from `/`) always fetched from the origin and never stored. */
  fresh: (path: string) => boolean;
  /** The cache key of a path (default: the path). */
  key?: (path: string) => string;
  /** Awaited before each request is answered: a test's hook to change the origin mid-install. */
  beforeRequest?: (path: string) => Promise<void> | void;
}

export interface ProxyLogEntry {
  path: string;
  status: number;
  /** `cache`: answered from a stored copy; `origin`: fetched for this request. */
  from: 'cache' | 'origin';
  /** The proxy clock when the answer was stored (the request's own time when fetched for it). */
  storedAt: number;
  /** SHA-256 of the body the answer carried (before any 304). */
  sha256: string;
}

export interface CachingProxy {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** Every request, in order. */
  log: ProxyLogEntry[];
}

interface Stored {
  status: number;
  body: Buffer;
  etag: string | null;
  storedAt: number;
}

/** Start the proxy; it is closed when the test finishes. */
export async function startCachingProxy(options: CachingProxyOptions): Promise<CachingProxy> {
  const cache = new Map<string, Stored>();
  const log: ProxyLogEntry[] = [];
  const keyOf = options.key ?? ((path: string) => path);

  const fromOrigin = async (rawPath: string): Promise<Stored> => {
    const response = await fetch(`${options.origin}${rawPath}`);
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body, etag: response.headers.get('etag'), storedAt: options.now() };
  };

  const answer = async (rawPath: string, path: string): Promise<{ stored: Stored; from: ProxyLogEntry['from'] }> => {
    if (options.fresh(path)) return { stored: await fromOrigin(rawPath), from: 'origin' };
    const key = keyOf(path);
    const hit = cache.get(key);
    if (hit !== undefined && options.now() - hit.storedAt < options.ttlMs) return { stored: hit, from: 'cache' };
    const stored = await fromOrigin(rawPath);
    cache.set(key, stored);
    return { stored, from: 'origin' };
  };

  const server = createServer((req, res) => {
    const rawPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    const path = decodeURIComponent(rawPath);
    (async () => {
      await options.beforeRequest?.(path);
      const { stored, from } = await answer(rawPath, path);
      log.push({ path, status: stored.status, from, storedAt: stored.storedAt, sha256: sha256Hex(stored.body) });
      const etag = stored.etag === null ? {} : { etag: stored.etag };
      if (stored.status === 200 && stored.etag !== null && req.headers['if-none-match'] === stored.etag)
        return void res.writeHead(304, etag).end();
      res.writeHead(stored.status, { ...etag, 'content-length': stored.body.length });
      res.end(req.method === 'HEAD' ? undefined : stored.body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  onTestFinished(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, log };
}
