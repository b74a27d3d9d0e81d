/**
 * The one place where Octokit failures become errors a person can act on: a GitHub answer becomes a
 * GitHubApiError (status, body, the request, a fix-it hint), no answer at all becomes a StoreError.
 */
import { GitHubApiError, GranaryError, StoreError } from '../../core/errors.js';

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { data?: unknown; url?: string };
  request?: { method?: string; url?: string };
}

/** What the caller knows that makes a hint precise. */
export interface GitHubErrorContext {
  /** `owner/repo` the call was about. */
  repo?: string;
  /** The permission the call needs, e.g. `contents: write`; named in the hints for 401 and 403. */
  permission?: string;
  /** Replaces the hint for the status. */
  hint?: string;
}

/** Whether `error` looks like an Octokit `RequestError` (a status plus the request it answered). */
function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { request?: unknown }).request === 'object'
  );
}

/** The HTTP status GitHub answered with, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof GitHubApiError) return error.status;
  return isRequestError(error) ? error.status : undefined;
}

/** Whether GitHub answered 422 with an `already_exists` validation error (asset name or release tag taken). */
export function isAlreadyExists(error: unknown): boolean {
  if (!isRequestError(error) || error.status !== 422) return false;
  const errors = (error.response?.data as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) => (e as { code?: unknown } | null)?.code === 'already_exists');
}

/**
 * Wrap a failed GitHub call; `doing` says what was being done ("reading the tree of owner/repo at abc123").
 * Granary's own errors and errors that are not requests (bugs, aborts) pass through unchanged.
 */
export function githubError(error: unknown, doing: string, context: GitHubErrorContext = {}): Error {
  if (error instanceof GranaryError) return error;
  if (!isRequestError(error)) return error instanceof Error ? error : new Error(String(error));
  // A network failure is a RequestError too (status 500), but without a response.
  if (error.response === undefined) {
    return new StoreError(`could not reach GitHub while ${doing}: ${error.message}`, {
      where: context.repo,
      hint: 'check the network connection and GITHUB_API_URL, then run the same command again',
      cause: error,
      temporary: true,
    });
  }
  const body = error.response.data;
  const where =
    error.request?.method && error.request.url ? `${error.request.method} ${error.request.url}` : context.repo;
  // A 403 or 429 that says "rate limit" (primary or secondary) is GitHub asking to slow down, not a permission.
  const rateLimited =
    (error.status === 403 || error.status === 429) && /rate limit/i.test(messageOf(body) ?? error.message);
  return new GitHubApiError(
    `GitHub answered ${error.status} while ${doing}: ${messageOf(body) ?? error.message}`,
    error.status,
    body,
    {
      where,
      hint: rateLimited
        ? "GitHub's rate limit held past the retries: nothing was lost; run it again later (the app retries by itself on its next event or reconciliation)"
        : (context.hint ?? hintForStatus(error.status, context)),
      cause: error,
      // 5xx, rate limits and timeouts pass; 4xx are about the request, the token or the repository.
      temporary: error.status >= 500 || error.status === 429 || error.status === 408 || rateLimited,
    },
  );
}

/** What a person can do about a given status. */
function hintForStatus(status: number, { repo, permission }: GitHubErrorContext): string {
  const needs = permission === undefined ? '' : ` (this call needs \`${permission}\`${repo ? ` on ${repo}` : ''})`;
  if (status === 401)
    return `the token or app credentials were refused: check that they are valid and not expired (GITHUB_TOKEN, or APP_ID and PRIVATE_KEY)${needs}`;
  if (status === 403)
    return `the token or app lacks a permission${needs}, or GitHub reports a rate limit: see docs/operator-guide.md, "Permissions"`;
  if (status === 404)
    return `${repo ? `the repository ${repo}` : 'the repository, commit or file'} does not exist or the token cannot see it: check the name, and the repository access of the token or app installation`;
  if (status === 422) return 'GitHub refused the request as invalid; the response body says which field';
  if (status >= 500)
    return 'GitHub kept failing after several retries; run the same command again later (curation resumes where it stopped)';
  return 'see the response body for details';
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    const errors = (body as { errors?: unknown }).errors;
    const extra = Array.isArray(errors) && errors.length > 0 ? ` ${JSON.stringify(errors)}` : '';
    return `${(body as { message: string }).message}${extra}`;
  }
  return typeof body === 'string' && body.length > 0 ? body.slice(0, 500) : undefined;
}
