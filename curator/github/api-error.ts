/** Octokit request errors turned into GitHubApiError, so every GitHub failure says what was attempted and keeps status and body. */
import { GitHubApiError } from '../../core/errors.js';

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/** Wrap a failed GitHub call: `what` names the attempt ("read the tree of owner/repo at abc123"). */
export function githubError(error: unknown, what: string, hint?: string): Error {
  if (error instanceof GitHubApiError) return error;
  if (!isRequestError(error)) return error instanceof Error ? error : new Error(String(error));
  const status = error.status;
  const body = error.response?.data;
  const detail =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : error.message;
  return new GitHubApiError(`GitHub refused to ${what}: ${status} ${detail}`, status, body, {
    hint: hint ?? defaultHint(status),
    cause: error,
  });
}

/** The status of a request error, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof GitHubApiError) return error.status;
  return isRequestError(error) ? error.status : undefined;
}

function defaultHint(status: number): string {
  if (status === 401) return 'the token or app credentials are not valid: check APP_ID/PRIVATE_KEY or GITHUB_TOKEN';
  if (status === 403)
    return 'the app or token lacks a permission for this call: see docs/operator-guide.md, "Permissions"';
  if (status === 404) return 'the repository, commit or file does not exist, or the app is not installed on it';
  if (status >= 500) return 'GitHub had a server error; the request was retried. Try again later';
  return 'see the response body for details';
}
