/** The one place where Octokit failures become GitHubApiError / StoreError with a fix-it hint. */
import { GitHubApiError, StoreError } from '../../core/errors.js';

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { data?: unknown; url?: string };
  request?: { method?: string; url?: string };
}

/** Whether `error` looks like an Octokit `RequestError` (status plus the request it answered). */
export function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { request?: unknown }).request === 'object'
  );
}

/** The HTTP status of an Octokit error, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  return isRequestError(error) ? error.status : undefined;
}

/** Whether GitHub answered 422 with an `already_exists` validation error (asset name or release tag taken). */
export function isAlreadyExists(error: unknown): boolean {
  if (!isRequestError(error) || error.status !== 422) return false;
  const errors = (error.response?.data as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) => (e as { code?: unknown } | null)?.code === 'already_exists');
}

/** What a person can do about a given status. */
export function hintForStatus(status: number, repo: string): string {
  if (status === 401)
    return `the token was refused: check that it is valid and not expired, and that it has the \`contents: write\` permission on ${repo}`;
  if (status === 403)
    return `check the token's \`contents: write\` permission on ${repo} (or wait if GitHub reports a rate limit)`;
  if (status === 404)
    return `the repository ${repo} does not exist or the token cannot see it: check the store spec and the token's repository access`;
  if (status === 422) return 'GitHub refused the request as invalid; the body above says which field';
  if (status >= 500)
    return 'GitHub failed after several retries; run the same command again later (it resumes where it stopped)';
  return 'see the response body above';
}

/** Turn any failure of a GitHub call into a StoreError; `action` says what was being done. */
export function toGitHubError(error: unknown, action: string, repo: string): StoreError {
  if (error instanceof StoreError) return error;
  // A network failure is also a RequestError (status 500) but without a response.
  if (isRequestError(error) && error.response !== undefined) {
    const body = error.response?.data;
    const detail = messageOf(body) ?? error.message;
    const where = error.request?.method && error.request.url ? `${error.request.method} ${error.request.url}` : repo;
    return new GitHubApiError(`GitHub answered ${error.status} while ${action}: ${detail}`, error.status, body, {
      where,
      hint: hintForStatus(error.status, repo),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`could not reach GitHub while ${action}: ${message}`, {
    where: repo,
    hint: 'check the network connection and GITHUB_API_URL, then run the same command again',
    cause: error,
  });
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    const errors = (body as { errors?: unknown }).errors;
    const extra = Array.isArray(errors) && errors.length > 0 ? ` ${JSON.stringify(errors)}` : '';
    return `${(body as { message: string }).message}${extra}`;
  }
  return typeof body === 'string' && body.length > 0 ? body.slice(0, 500) : undefined;
}
