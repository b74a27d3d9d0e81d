/** The pull request a change on main came from, looked up on GitHub: who authored it and who approved its final head. */
import type { PullRequestRecords } from '../curate/merge-gate.js';
import { githubError } from './api-error.js';
import type { GitHub, RepoRef } from './octokit.js';
import { listApprovers } from './reviews.js';
import { listTeamMembers } from './team.js';

/**
 * GitHub's pull request for each merged change: the merged pull request whose merge commit is the change's
 * last commit (a merge commit, a squash commit, or the last commit a rebase merge wrote). A change no pull
 * request merged (a direct push) has no record, and is judged with the rules that need none.
 */
export function githubPullRequests(github: GitHub, ref: RepoRef): PullRequestRecords {
  const teams = new Map<string, Promise<string[]>>();
  return {
    async contextFor(change, config) {
      let pulls;
      try {
        pulls = (
          await github.rest.repos.listPullRequestsAssociatedWithCommit({
            ...ref,
            commit_sha: change.id,
            per_page: 100,
          })
        ).data;
      } catch (error) {
        throw githubError(error, `looking up the pull request of ${ref.owner}/${ref.repo}@${change.id.slice(0, 12)}`, {
          repo: `${ref.owner}/${ref.repo}`,
        });
      }
      const pr = pulls.find((p) => p.merged_at != null && p.merge_commit_sha === change.id);
      if (pr === undefined) return undefined;
      const team = config.trusteeTeam;
      if (team !== undefined && !teams.has(team)) teams.set(team, listTeamMembers(github, team));
      const [approvers, members] = await Promise.all([
        listApprovers(github, ref, pr.number, pr.head.sha),
        team === undefined ? Promise.resolve([]) : teams.get(team)!,
      ]);
      const trustees = new Set([...config.trustees, ...members].map((t) => t.toLowerCase()));
      return {
        author: pr.user?.login ?? '',
        approvers,
        trusteeApproved: approvers.some((a) => trustees.has(a.toLowerCase())),
        ...(members.length > 0 ? { extraTrustees: members } : {}),
        pullRequest: pr.number,
      };
    },
  };
}
