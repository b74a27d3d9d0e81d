/**
 * An index served over HTTP(S). Uses the native fetch, whose undici agent keeps connections
 * alive by default; revalidates with ETag/If-None-Match against an on-disk cache; retries 5xx,
 * timeouts and dropped connections with exponential backoff, a bounded number of times.
 */
import { join } from 'node:path';
import { GranaryError, SourceError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { TransientError, withRetries } from '../fetch/retry.js';
import { diskHttpCache, type HttpCache } from './http-cache.js';
import { checkIndexFilePath } from './index-file-path.js';
import type { OpenedSource } from './opened-source.js';
import { withDefaults, type SourceOptions } from './options.js';
import { readCapped } from './read-capped.js';

export interface HttpSourceDeps {
  fetch?: typeof fetch;
  cache?: HttpCache;
}

export function httpSource(base: string, options: SourceOptions, deps: HttpSourceDeps = {}): OpenedSource {
  const o = withDefaults(options);
  const baseUrl = new URL(base.endsWith('/') ? base : `${base}/`);
  baseUrl.search = '';
  baseUrl.hash = '';
  const doFetch = deps.fetch ?? fetch;
  const cache =
    deps.cache ??
    (o.cacheDir === undefined
      ? undefined
      : diskHttpCache(join(o.cacheDir, 'http', sha256Hex(baseUrl.href).slice(0, 16))));

  const locate = (path: string): string => {
    const url = new URL(checkIndexFilePath(path), baseUrl);
    // Safe segments cannot climb out, but check the result rather than trust the reasoning.
    if (!url.href.startsWith(baseUrl.href))
      throw new SourceError(`index path escapes the registry base`, { where: url.href });
    return url.href;
  };

  async function attempt(url: string): Promise<Buffer | undefined> {
    const cached = cache ? await cache.get(url) : undefined;
    const headers: Record<string, string> = { accept: 'application/json, text/plain, */*' };
    if (cached) headers['if-none-match'] = cached.etag;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
    } catch (cause) {
      throw new TransientError(`could not reach the registry: ${describeNetworkError(cause)}`, undefined, cause);
    }
    if (response.status === 304 && cached) {
      await response.body?.cancel();
      return cached.body;
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      await response.body?.cancel();
      throw new TransientError(`the registry answered HTTP ${response.status}`, response.status);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new SourceError(`the registry answered HTTP ${response.status}`, {
        where: url,
        hint: 'check the --registry URL and that the server serves the index files',
      });
    }
    let body: Buffer;
    try {
      body = await readCapped(response, o.maxBytes, url);
    } catch (cause) {
      if (cause instanceof GranaryError) throw cause;
      throw new TransientError(`the connection broke while reading: ${describeNetworkError(cause)}`, undefined, cause);
    }
    const etag = response.headers.get('etag');
    if (cache && etag) await cache.put(url, etag, body);
    return body;
  }

  return {
    kind: 'http',
    description: baseUrl.href,
    identity: baseUrl.href,
    locate,
    resolveRelative: (relative) =>
      new URL(relative.endsWith('/') ? relative : `${relative}/`, baseUrl).href.replace(/\/$/, ''),
    async readFile(path) {
      const url = locate(path);
      return withRetries(
        () => attempt(url),
        (last, attempts) =>
          new SourceError(`${last.message} (gave up after ${attempts} attempts)`, {
            where: url,
            hint: 'the registry server may be down; try again later or use a mirror with --registry',
            cause: last,
            temporary: true,
          }),
        { retries: o.attempts - 1, backoffMs: o.retryDelayMs },
      );
    },
  };
}

function describeNetworkError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}
