/**
 * Pacing of GitHub's content-creating requests (a release, an upload, publishing a draft, a deletion).
 * GitHub documents a secondary limit of 80 such requests per minute and 500 per hour: a first publication
 * of thousands of versions must spread itself over hours rather than be refused halfway. The pacer keeps
 * the times of the requests it let through and waits before one that would exceed either window. The rates
 * come from registry.yaml (`limits.githubWritesPerMinute`, `limits.githubWritesPerHour`).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface PacerOptions {
  perMinute: number;
  perHour: number;
  /** Milliseconds since the epoch (default: `Date.now`). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Said before a wait longer than a few seconds. */
  log?: (line: string) => void;
}

export interface Pacer {
  /** Resolves when one more content-creating request may be sent (and counts it as sent). */
  take(): Promise<void>;
}

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sent: number[] = [];
  let queue = Promise.resolve();
  const take = async (): Promise<void> => {
    for (;;) {
      const t = now();
      while (sent.length > 0 && sent[0]! <= t - HOUR) sent.shift();
      const wait = Math.max(waitFor(sent, t, MINUTE, options.perMinute), waitFor(sent, t, HOUR, options.perHour));
      if (wait <= 0) {
        sent.push(t);
        return;
      }
      if (wait > 5000)
        options.log?.(
          `pacing: GitHub allows ${options.perMinute} content-creating requests a minute and ${options.perHour} an hour; waiting ${formatWait(wait)}`,
        );
      await sleep(wait);
    }
  };
  // One at a time, so that concurrent callers are counted in the order they asked.
  return {
    take: () => {
      const next = queue.then(take);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** How long until a request fits in a window of `length` holding at most `max` requests (0: now). */
function waitFor(sent: number[], t: number, length: number, max: number): number {
  let inWindow = 0;
  for (let i = sent.length - 1; i >= 0 && sent[i]! > t - length; i--) inWindow++;
  if (inWindow < max) return 0;
  // The request that must leave the window first: the `max`-th newest.
  return sent[sent.length - max]! + length - t;
}

/** How long `count` content-creating requests take at the pacer's rates, sent as fast as it allows. */
export async function pacedDuration(count: number, rates: { perMinute: number; perHour: number }): Promise<number> {
  let clock = 0;
  const pacer = createPacer({
    ...rates,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  for (let i = 0; i < count; i++) await pacer.take();
  return clock;
}

export function formatWait(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 1) return `${Math.ceil(ms / 1000)} s`;
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes - hours * 60} min`;
}
