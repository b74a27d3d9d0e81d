/**
 * The Octokit every event's client is made from: Probot's, with our rate-limit handlers in place of
 * Probot's (which log a secondary rate limit and give up), so an upload that meets one waits and retries.
 */
import { ProbotOctokit } from 'probot';
import { rateLimitHandlers, unspacedGroup } from '../github/octokit.js';

export interface AppOctokitOptions {
  /** Milliseconds per second of `retry-after` (default 1000); tests scale time down with it. */
  retryAfterBaseValue?: number;
  /** Turn off the spacing of write requests (tests). */
  unspacedWrites?: boolean;
  log?: (line: string) => void;
}

export function appOctokit(options: AppOctokitOptions = {}): typeof ProbotOctokit {
  // A function default runs after Probot's own, so these handlers are the ones in force.
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    ...(options.retryAfterBaseValue === undefined
      ? {}
      : { retry: { ...(instance['retry'] as object), retryAfterBaseValue: options.retryAfterBaseValue } }),
    throttle: {
      ...(instance['throttle'] as object),
      enabled: true,
      ...(options.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: options.retryAfterBaseValue }),
      ...(options.unspacedWrites === true ? { write: unspacedGroup(), notifications: unspacedGroup() } : {}),
      ...rateLimitHandlers(options.log === undefined ? {} : { log: options.log }),
    },
  }));
}
