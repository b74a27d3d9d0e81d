/** Who approved a pull request: the latest review per user counts, and only when it approves the commit being judged. */
import { githubError } from './api-error.js';
import type { GitHub, RepoRef } from './octokit.js';

export interface Review {
  user: { login: string } | null;
  state: string;
  commit_id?: string | null;
  submitted_at?: string | null;
}

/**
 * Logins whose latest deciding review (APPROVED, CHANGES_REQUESTED or DISMISSED; comments do not
 * decide) is an approval of `headSha`: an approval of an earlier push does not carry over to new contents.
 */
export function approversOf(reviews: Review[], headSha: string): string[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (!r.user?.login) continue;
    if (r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED' && r.state !== 'DISMISSED') continue;
    // The API lists reviews oldest first; later entries replace earlier ones.
    latest.set(r.user.login.toLowerCase(), r);
  }
  const out: string[] = [];
  for (const r of latest.values()) if (r.state === 'APPROVED' && r.commit_id === headSha) out.push(r.user!.login);
  return out.sort();
}

/** Approving reviewers of pull request `number` at `headSha`. */
export async function listApprovers(github: GitHub, ref: RepoRef, number: number, headSha: string): Promise<string[]> {
  try {
    const reviews = await github.paginate(github.rest.pulls.listReviews, {
      ...ref,
      pull_number: number,
      per_page: 100,
    });
    return approversOf(reviews as Review[], headSha);
  } catch (error) {
    throw githubError(error, `listing the reviews of ${ref.owner}/${ref.repo}#${number}`, {
      repo: `${ref.owner}/${ref.repo}`,
    });
  }
}
