/** What every index source accepts, with the defaults used when a caller leaves them out. */

export interface SourceOptions {
  /** Relative paths (a directory spec) resolve against this. */
  cwd: string;
  /** HTTP: ETag cache lives under `<cacheDir>/http`; none when undefined. */
  cacheDir?: string | undefined;
  /** Largest index file accepted, in bytes. */
  maxBytes?: number;
  /** HTTP: attempts per file on 5xx, timeouts and dropped connections (first try included). */
  attempts?: number;
  /** HTTP: first backoff delay; doubles on each retry. */
  retryDelayMs?: number;
  /** HTTP and git: how long one read may take. */
  timeoutMs?: number;
  /** git: the index branch, instead of registry.yaml's `indexBranch` (default `index`). */
  branch?: string;
  /**
   * git: read the index as it was: at snapshot version N (`"12"`), or the newest generation that curated
   * main up to a date (`"2026-11-30"`, an RFC 3339 day or time). Older generations live in the branch's history.
   */
  snapshot?: string;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_ATTEMPTS = 4;
export const DEFAULT_RETRY_DELAY_MS = 200;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The options with every default filled in. */
export function withDefaults(
  o: SourceOptions,
): Required<Omit<SourceOptions, 'cacheDir' | 'branch' | 'snapshot'>> &
  Pick<SourceOptions, 'cacheDir' | 'branch' | 'snapshot'> {
  return {
    cwd: o.cwd,
    cacheDir: o.cacheDir,
    branch: o.branch,
    snapshot: o.snapshot,
    maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES,
    attempts: Math.max(1, o.attempts ?? DEFAULT_ATTEMPTS),
    retryDelayMs: o.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}
