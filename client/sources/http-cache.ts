/** On-disk ETag cache for index files: the body and its validator, keyed by URL. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../core/hash.js';
import { writeFileAtomic } from './atomic-write.js';

export interface CachedResponse {
  etag: string;
  body: Buffer;
}

export interface HttpCache {
  get(url: string): Promise<CachedResponse | undefined>;
  put(url: string, etag: string, body: Buffer): Promise<void>;
}

/** A cache under `dir`; every entry is `<sha256(url)>.json` (url + etag) next to `<sha256(url)>.body`. */
export function diskHttpCache(dir: string): HttpCache {
  const paths = (url: string) => {
    const key = sha256Hex(url);
    return { meta: join(dir, `${key}.json`), body: join(dir, `${key}.body`) };
  };
  return {
    async get(url) {
      const p = paths(url);
      try {
        const meta = JSON.parse(await readFile(p.meta, 'utf8')) as { url?: unknown; etag?: unknown };
        if (meta.url !== url || typeof meta.etag !== 'string') return undefined;
        return { etag: meta.etag, body: await readFile(p.body) };
      } catch {
        // A missing or damaged entry is just a cache miss.
        return undefined;
      }
    },
    async put(url, etag, body) {
      const p = paths(url);
      // Body first: a reader that sees the new validator always finds its body.
      await writeFileAtomic(p.body, body);
      await writeFileAtomic(p.meta, JSON.stringify({ url, etag }));
    },
  };
}
