/** One package's tarball, verified: from the content-addressed cache, else downloaded and checked against its index line. */
import { LimitError } from '../../core/errors.js';
import type { IndexLine } from '../../schema/types.js';
import { DEFAULT_MAX_TARBALL_BYTES } from '../defaults.js';
import type { Registry } from '../types.js';
import { TarballCache, type CachedAsset } from './cache.js';
import type { ReadOptions } from './read-verified.js';

/** What names a tarball and its expected bytes: an index line, or a lockfile entry with its name. */
export type TarballRef = Pick<IndexLine, 'name' | 'version' | 'asset' | 'sha256' | 'size'>;

/** Where `fetchTarball` caches, and how it reads. */
export interface FetchOptions {
  /** The cache directory (`<cacheDir>/sha256/…`); `defaultCacheDir` gives the command line's. */
  cacheDir: string;
  /** Relative asset locations resolve against this (default: the process's). */
  cwd?: string;
  /** A tarball the index says is larger is refused before any byte is read (default DEFAULT_MAX_TARBALL_BYTES). */
  maxTarballBytes?: number;
  /** Timeouts, retries and an injected fetch. */
  read?: ReadOptions;
}

/**
 * The bytes of `pkg`'s tarball, whose size and SHA-256 match `pkg` (an index line the registry verified):
 * read from the cache when there (and re-hashed), else downloaded from the registry's asset base and cached.
 * Throws IntegrityError for bytes that do not match, DownloadError when they cannot be read, LimitError above the cap.
 */
export async function fetchTarball(registry: Registry, pkg: TarballRef, options: FetchOptions): Promise<CachedAsset> {
  const label = `${pkg.name}@${pkg.version}`;
  const cap = options.maxTarballBytes ?? DEFAULT_MAX_TARBALL_BYTES;
  if (pkg.size > cap)
    throw new LimitError(`the tarball of ${label} is ${pkg.size} bytes, more than the cap of ${cap}`, {
      where: label,
      hint: 'raise the cap only if you trust this registry',
    });
  return new TarballCache(options.cacheDir).get(
    { label, location: (await registry.assets())(pkg.asset), sha256: pkg.sha256, size: pkg.size },
    { ...(options.cwd === undefined ? {} : { cwd: options.cwd }), ...options.read },
  );
}
