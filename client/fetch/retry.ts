/** The client's one retry loop: bounded retries with exponential backoff for failures that may pass (5xx, 429, resets, timeouts). */

export interface RetryOptions {
  /** Attempts after the first (default 3). */
  retries?: number;
  /** First delay; doubled each time, with jitter (default 250 ms). */
  backoffMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** A failure worth another attempt. */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

const wait = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Run `attempt` until it succeeds, throws a non-transient error, or the retries run out; then throw
 * what `giveUp` makes of the last failure and the number of attempts made.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  giveUp: (last: TransientError, attempts: number) => Error,
  options: RetryOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 250;
  const sleep = options.sleep ?? wait;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      if (n >= retries) throw giveUp(error, n + 1);
      await sleep(backoff * 2 ** n * (0.5 + Math.random() / 2));
    }
  }
}
