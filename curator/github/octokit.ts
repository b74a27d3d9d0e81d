/**
 * The one place Octokits are made, and the slice of one the curator uses (Probot's `context.octokit`
 * and `createOctokit`'s both fit).
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { UsageError } from '../../core/errors.js';

/** The part of an Octokit the curator uses. */
export type GitHub = Pick<Octokit, 'rest' | 'paginate' | 'request'>;

/** A repository on GitHub. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** `OWNER/REPO` as a flag gives it; `flag` names the flag in the error. */
export function parseRepoRef(text: string, flag: string): RepoRef {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(text);
  if (!match)
    throw new UsageError(`${flag} must be OWNER/REPO, got ${JSON.stringify(text.slice(0, 80))}`, {
      hint: `e.g. ${flag} acme/registry`,
    });
  return { owner: match[1]!, repo: match[2]! };
}

/** A token, an API root, and the retry and rate-limit policy of a new Octokit. */
export interface OctokitOptions {
  token: string;
  /** API root; `https://HOST/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string;
  userAgent?: string;
  /** Attempts after the first for 5xx and 429 answers (default 3). */
  retries?: number;
  /** One unit of backoff in milliseconds: retry n waits n² units (default 1000); tests pass 1. */
  retryBaseMs?: number;
  /** Retries of a secondary rate limit before giving up (default 3). */
  secondaryRateLimitRetries?: number;
  /** Longest wait for a primary rate-limit reset, in seconds, before giving up instead (default 600). */
  maxRateLimitWaitSeconds?: number;
  /**
   * 0 turns off the plugin's spacing of write requests (1 s apart, 3 s for ones that notify,
   * such as creating a release: what GitHub asks of content-creating requests); for tests.
   */
  writeIntervalMs?: 0;
  /** Where warnings about waits go (default: nowhere). */
  log?: (line: string) => void;
}

const RetryingOctokit = Octokit.plugin(throttling, retry);

/** How long and how often to wait out GitHub's rate limits, for the throttling plugin (ours and Probot's). */
export interface RateLimitPolicy {
  /** Retries of a secondary rate limit before giving up (default 3). */
  secondaryRateLimitRetries?: number;
  /** Longest wait for a primary rate-limit reset, in seconds, before giving up instead (default 600). */
  maxRateLimitWaitSeconds?: number;
  log?: (line: string) => void;
}

/**
 * The throttling plugin's handlers: a primary limit is waited out once when its reset is near enough; a
 * secondary limit (403/429 "secondary rate limit", with `retry-after`) is waited out up to a few times.
 * Probot's own handler for secondary limits only logs, so the app passes these to Probot too.
 */
export function rateLimitHandlers(policy: RateLimitPolicy = {}): Record<string, unknown> {
  const log = policy.log ?? (() => {});
  const secondaryRetries = policy.secondaryRateLimitRetries ?? 3;
  const maxWait = policy.maxRateLimitWaitSeconds ?? 600;
  return {
    onRateLimit: (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      if (retryCount >= 1 || retryAfter > maxWait) return false;
      log(`GitHub rate limit reached on ${request.method} ${request.url}; waiting ${retryAfter} s`);
      return true;
    },
    onSecondaryRateLimit: (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      if (retryCount >= secondaryRetries) return false;
      log(
        `GitHub secondary rate limit on ${request.method} ${request.url}; waiting ${retryAfter} s (retry ${retryCount + 1})`,
      );
      return true;
    },
  };
}

/** An Octokit that waits out rate limits and retries transient failures with backoff. */
export function createOctokit(options: OctokitOptions): Octokit {
  const log = options.log ?? (() => {});
  const base = options.retryBaseMs ?? 1000;
  const throttle: Record<string, unknown> = {
    retryAfterBaseValue: base,
    ...rateLimitHandlers({
      log,
      ...(options.secondaryRateLimitRetries === undefined
        ? {}
        : { secondaryRateLimitRetries: options.secondaryRateLimitRetries }),
      ...(options.maxRateLimitWaitSeconds === undefined
        ? {}
        : { maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds }),
    }),
  };
  if (options.writeIntervalMs === 0) {
    throttle['write'] = unspacedGroup();
    throttle['notifications'] = unspacedGroup();
  }
  return new RetryingOctokit({
    auth: options.token,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl.replace(/\/+$/, '') }),
    userAgent: options.userAgent ?? 'granary-curator',
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: base },
    // The plugin's option type names Bottleneck classes; the handlers above match its documented signatures.
    throttle: throttle as never,
    log: { debug: () => {}, info: () => {}, warn: log, error: log },
  });
}

/**
 * A limiter group that runs jobs at once. The throttling plugin only calls
 * `group.key(id).schedule(options, fn, ...args)` on it, so this stands in for a Bottleneck group.
 */
export function unspacedGroup(): unknown {
  const limiter = {
    schedule: (_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve(fn(...args)),
  };
  return { key: () => limiter };
}

/** An Octokit for a command run by a person or a workflow: GITHUB_TOKEN (or GH_TOKEN) and GITHUB_API_URL of `env`; undefined without a token. */
export function octokitFromEnv(env: NodeJS.ProcessEnv, userAgent: string): Octokit | undefined {
  const token = env['GITHUB_TOKEN'] || env['GH_TOKEN'] || undefined;
  const apiUrl = env['GITHUB_API_URL'] || undefined;
  return token === undefined ? undefined : createOctokit({ token, ...(apiUrl ? { baseUrl: apiUrl } : {}), userAgent });
}

/** The same, for a command that cannot work without one: a usage error naming GITHUB_TOKEN, what it is for and the permission. */
export function requiredOctokitFromEnv(
  env: NodeJS.ProcessEnv,
  userAgent: string,
  needs: { what: string; permission: string },
): Octokit {
  const octokit = octokitFromEnv(env, userAgent);
  if (octokit === undefined)
    throw new UsageError(`${needs.what} needs a token`, {
      where: 'GITHUB_TOKEN',
      hint: `set GITHUB_TOKEN (or GH_TOKEN) to a token with ${needs.permission}`,
    });
  return octokit;
}
