/** Comments the app owns, found again by a hidden marker so a redelivered event never posts twice. */
import { githubError } from './api-error.js';
import type { GitHub, RepoRef } from './octokit.js';

/** `<!-- granary:<key> -->`: invisible in the rendered comment. */
export function commentMarker(key: string): string {
  return `<!-- granary:${key} -->`;
}

export interface MarkedComment extends RepoRef {
  issueNumber: number;
  /** The marker key; the comment body gets the marker appended. */
  key: string;
  body: string;
}

/** Post the comment unless one with the same marker exists; returns whether a comment was created. */
export async function commentOnce(github: GitHub, comment: MarkedComment): Promise<boolean> {
  const marker = commentMarker(comment.key);
  const ref = { owner: comment.owner, repo: comment.repo };
  let existing: Array<{ body?: string | null }>;
  try {
    existing = await github.paginate(github.rest.issues.listComments, {
      ...ref,
      issue_number: comment.issueNumber,
      per_page: 100,
    });
  } catch (error) {
    throw githubError(error, `listing the comments of ${comment.owner}/${comment.repo}#${comment.issueNumber}`, {
      repo: `${comment.owner}/${comment.repo}`,
    });
  }
  if (existing.some((c) => c.body?.includes(marker))) return false;
  try {
    await github.rest.issues.createComment({
      ...ref,
      issue_number: comment.issueNumber,
      body: `${comment.body}\n\n${marker}`,
    });
  } catch (error) {
    throw githubError(error, `commenting on ${comment.owner}/${comment.repo}#${comment.issueNumber}`, {
      repo: `${comment.owner}/${comment.repo}`,
      permission: 'pull_requests: write',
    });
  }
  return true;
}
