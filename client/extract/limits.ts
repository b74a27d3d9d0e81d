/** Extraction caps: what a tarball may expand to before it is refused. */

export interface ExtractLimits {
  /** Entries (files and directories) in one tarball. */
  maxEntries: number;
  /** Bytes of the uncompressed tar stream (headers and padding included). */
  maxBytes: number;
  /** Uncompressed / compressed size, checked once the output passes `ratioFloorBytes`. */
  maxRatio: number;
  /** Below this much output the ratio is not checked: tiny tarballs compress extremely well. */
  ratioFloorBytes: number;
}

/**
 * Defaults sized for source packages: registries cap files at 10,000 and tarballs at 50 MiB; source
 * compresses 3–30x; gzip bombs reach ~1000x.
 */
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxEntries: 20_000,
  maxBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};
