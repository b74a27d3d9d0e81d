/** The PR gate on GitHub: read the PR through the API, run the validate rules, report a check run (and greet a new author once). */
import { REGISTRY_FILE, type RegistryConfig } from '../../core/registry-config.js';
import { createApiTree, createBlobSource, type ApiTree } from '../github/api-tree.js';
import { annotationsOf, publishCheckRun } from '../github/check-run.js';
import { commentOnce } from '../github/comments.js';
import { indexHistory, indexLines, indexPublishedAt } from '../github/index-lines.js';
import { classifyPath } from '../registry/layout.js';
import { parseRegistrySettings, validSettings } from '../registry/parse.js';
import type { GitHub } from '../github/octokit.js';
import { changedFilesOf, listPullRequestFiles, type PrFile } from '../github/pr-files.js';
import { listApprovers } from '../github/reviews.js';
import { listTeamMembers } from '../github/team.js';
import type { AppDependencies } from './dependencies.js';
import { VALIDATE_CHECK, validateCrashSummary, validateSummary, welcomeComment } from './messages.js';

export interface PullRequestToCheck {
  owner: string;
  repo: string;
  number: number;
  /** The commit judged and reported on: the PR's head, or a merge queue group's head. */
  headSha: string;
  baseSha: string;
  /** The commit approvals must be of (the PR's own head); default `headSha`. */
  reviewedSha?: string;
  author: string;
  /** GitHub's `author_association` of the PR's author. */
  authorAssociation: string;
  /** The event action (`opened`, `synchronize`, `submitted`…). */
  action: string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Associations of someone who has not contributed to the repository before. */
const NEWCOMERS = new Set(['FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'NONE']);

/**
 * Check a pull request and report `granary/validate`; never throws for a problem it could report instead.
 * `not-checked`: the check itself could not run (reported as a failing check that says why): a retry may pass.
 * `superseded`: the pull request moved on while it was being read (nothing reported: the push's own event
 * checks the new head).
 */
export async function checkPullRequest(
  github: GitHub,
  pr: PullRequestToCheck,
  deps: Pick<AppDependencies, 'validateChange' | 'now' | 'checkPackable'>,
  log: Logger,
): Promise<'success' | 'failure' | 'not-checked' | 'superseded'> {
  const ref = { owner: pr.owner, repo: pr.repo };
  let verdict;
  let checked = false;
  try {
    // One archive of the base holds every registry file the rules read; the head differs only by the PR's files.
    const blobs = createBlobSource(github, ref, { archive: pr.baseSha });
    const base = createApiTree(github, { ...ref, sha: pr.baseSha, blobs });
    const head = createApiTree(github, { ...ref, sha: pr.headSha, blobs });
    const config = await baseConfig(base, log);
    const [files, approvers, team] = await Promise.all([
      listPullRequestFiles(github, ref, pr.number),
      listApprovers(github, ref, pr.number, pr.reviewedSha ?? pr.headSha),
      config?.trusteeTeam ? listTeamMembers(github, config.trusteeTeam) : Promise.resolve([]),
    ]);
    // GitHub lists the files of the pull request's current head; the trees are read at `headSha`. A
    // force-push in between would judge one commit's trees with another's file list: check neither.
    if (await movedOn(files, head)) {
      log.info(`${pr.owner}/${pr.repo}#${pr.number} moved past ${pr.headSha.slice(0, 12)} while it was checked`);
      return 'superseded';
    }
    const changes = await changedFilesOf(files, base, head);
    const trustees = new Set([...(config?.trustees ?? []), ...team].map((t) => t.toLowerCase()));
    const trusteeApproved = approvers.some((a) => trustees.has(a.toLowerCase()));
    const lines = indexLines(github, ref, config?.indexBranch ?? 'index');
    const names = changes.flatMap((c) => {
      const info = classifyPath(c.path);
      return info.kind === 'definition' || info.kind === 'override' ? [info.name] : [];
    });
    const checkPackable = config && deps.checkPackable ? deps.checkPackable(config) : undefined;
    const report = await deps.validateChange({
      base,
      head,
      changes,
      history: indexHistory(lines, names),
      published: async (name, version) =>
        (await lines(name)).some((l) => l.version === version && l.unpublished === undefined),
      ...(checkPackable ? { checkPackable } : {}),
      pr: {
        author: pr.author,
        approvers,
        trusteeApproved,
        ...(team.length > 0 ? { extraTrustees: team } : {}),
        now: (deps.now ?? (() => new Date()))(),
        publishedAt: indexPublishedAt(lines),
      },
    });
    const summary = validateSummary(report, { baseSha: pr.baseSha, headSha: pr.headSha, approvers, trusteeApproved });
    verdict = { ...summary, annotations: annotationsOf(report.problems) };
    checked = true;
  } catch (error) {
    log.error(`checking ${pr.owner}/${pr.repo}#${pr.number} failed: ${(error as Error)?.message ?? String(error)}`);
    verdict = { ...validateCrashSummary(error), annotations: [] };
  }
  await publishCheckRun(github, ref, {
    name: VALIDATE_CHECK,
    headSha: pr.headSha,
    conclusion: verdict.conclusion,
    title: verdict.title,
    summary: verdict.summary,
    annotations: verdict.annotations,
    externalId: `${pr.number}:${pr.headSha}`,
  });
  if ((pr.action === 'opened' || pr.action === 'reopened') && NEWCOMERS.has(pr.authorAssociation)) {
    await commentOnce(github, { ...ref, issueNumber: pr.number, key: 'welcome', body: welcomeComment(pr.author) });
  }
  return checked ? verdict.conclusion : 'not-checked';
}

/** Whether the listed files (their blobs at the PR's current head) differ from the tree being judged. */
async function movedOn(files: PrFile[], head: ApiTree): Promise<boolean> {
  for (const f of files) {
    if (f.status === 'removed' || typeof f.sha !== 'string') continue;
    if ((await head.blobSha(f.filename)) !== f.sha) return true;
  }
  return false;
}

/** registry.yaml at the base: who the trustees are. A broken one is the operators' to fix; the PR is still checked. */
async function baseConfig(
  base: { read(path: string): Promise<Buffer | undefined> },
  log: Logger,
): Promise<RegistryConfig | undefined> {
  const bytes = await base.read(REGISTRY_FILE);
  if (!bytes) return undefined;
  try {
    return validSettings(parseRegistrySettings(bytes));
  } catch (error) {
    log.warn(`registry.yaml at the base is not valid, so no trustees are known: ${(error as Error).message}`);
    return undefined;
  }
}
