/** The content-addressed tarball cache: `<cache>/sha256/<ab>/<hex>`, written only with verified bytes. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IntegrityError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { readVerified, type ExpectedAsset, type ReadOptions } from './read-verified.js';

/** Verified bytes of one asset, and whether they came from the cache. */
export interface CachedAsset {
  bytes: Buffer;
  fromCache: boolean;
}

export class TarballCache {
  constructor(readonly dir: string) {}

  /** Where the bytes with this SHA-256 live. */
  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError(`not a SHA-256 hex digest: ${JSON.stringify(sha256)}`);
    return join(this.dir, 'sha256', sha256.slice(0, 2), sha256);
  }

  /**
   * The verified bytes of an asset: from the cache when present (re-hashed, since the cache is
   * only as trustworthy as the disk), else downloaded, verified, then entered into the cache.
   */
  async get(expected: ExpectedAsset, options: ReadOptions = {}): Promise<CachedAsset> {
    const cached = await this.read(expected);
    if (cached) return { bytes: cached, fromCache: true };
    const chunks: Buffer[] = [];
    await readVerified(expected, { write: (c) => void chunks.push(c), reset: () => void (chunks.length = 0) }, options);
    const bytes = Buffer.concat(chunks);
    await this.put(expected.sha256, bytes);
    return { bytes, fromCache: false };
  }

  /** Cached bytes when their size and hash are right; a damaged entry is removed and reported as absent. */
  async read(expected: Pick<ExpectedAsset, 'sha256' | 'size'>): Promise<Buffer | undefined> {
    const path = this.pathOf(expected.sha256);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (info.size !== expected.size) {
      await rm(path, { force: true });
      return undefined;
    }
    const bytes = await readFile(path);
    if (sha256Hex(bytes) !== expected.sha256) {
      await rm(path, { force: true });
      return undefined;
    }
    return bytes;
  }

  /** Whether an entry of the right size is present (the cheap check; `read` re-hashes). */
  async has(expected: Pick<ExpectedAsset, 'sha256' | 'size'>): Promise<boolean> {
    const info = await stat(this.pathOf(expected.sha256)).catch(() => undefined);
    return info?.isFile() === true && info.size === expected.size;
  }

  /** Enter verified bytes: written to a temporary file, then renamed, so readers never see half a file. */
  async put(sha256: string, bytes: Buffer): Promise<void> {
    if (sha256Hex(bytes) !== sha256)
      throw new IntegrityError('refusing to cache bytes whose hash differs from their name', {
        where: this.pathOf(sha256),
      });
    const path = this.pathOf(sha256);
    const tmpDir = join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(join(this.dir, 'sha256', sha256.slice(0, 2)), { recursive: true });
    const tmp = join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    await rename(tmp, path).catch(async (error: unknown) => {
      await rm(tmp, { force: true });
      throw error;
    });
  }
}
