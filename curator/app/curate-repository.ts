/**
 * Curation after a merge: clone, curate, keep the index signed, the download counts and the website beside it,
 * push the index branch (fast-forward only), then say what happened on the PR and the commit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConcurrencyError, formatError } from '../../core/errors.js';
import { DEFAULT_LIMITS, type RegistryConfig } from '../../core/registry-config.js';
import type { CurateReport, PublishedVersion } from '../curate/types.js';
import { publishCheckRun } from '../github/check-run.js';
import { commentOnce } from '../github/comments.js';
import type { GitHub } from '../github/octokit.js';
import { githubPullRequests } from '../github/merged-pull-request.js';
import { listPullRequestFiles } from '../github/pr-files.js';
import { refreshIndex } from '../index/refresh.js';
import { REGISTRY_YAML } from '../registry/layout.js';
import { parseRegistrySettings, validSettings } from '../registry/parse.js';
import type { Logger } from './check-pull-request.js';
import { updateBesideTheIndex } from './beside-the-index.js';
import type { AppDependencies } from './dependencies.js';
import { installationToken } from './installation-token.js';
import { CURATE_CHECK, curateFailureSummary, curateSummary } from './messages.js';

export interface MergeToCurate {
  owner: string;
  repo: string;
  /** The commit the check run goes on: the PR's merge commit, or the pushed head. */
  commitSha: string;
  /** The merged pull request, when the merge came through one. */
  pullRequest?: number;
  /** The repository's default branch: the one curated (registry.yaml `mainBranch` must name it). */
  mainBranch: string;
  /** Report nothing when there was nothing new (a reconciliation pass). */
  quiet?: boolean;
}

/** Versions published by earlier runs of this instance, so a PR merged after its push was curated still gets the full comment. */
export type PublishedMemory = Map<string, PublishedVersion>;

const DEFINITION = /^packages\/((?:@[^/]+\/)?[^/@]+)\/([^/]+)\.yaml$/;

/** Curate `owner/repo` and report; throws only when the report itself cannot be delivered. */
export async function curateMerge(
  github: GitHub,
  merge: MergeToCurate,
  deps: AppDependencies,
  memory: PublishedMemory,
  log: Logger,
): Promise<CurateReport | undefined> {
  const ref = { owner: merge.owner, repo: merge.repo };
  const repoUrl = `${deps.webUrl ?? 'https://github.com'}/${merge.owner}/${merge.repo}`;
  let report: CurateReport;
  try {
    try {
      report = await curateRepository(github, merge, deps, log);
    } catch (error) {
      // Another instance pushed the index first: the next attempt starts from its result.
      if (!(error instanceof ConcurrencyError)) throw error;
      log.warn(`the index moved while curating ${merge.owner}/${merge.repo}; trying once more`);
      report = await curateRepository(github, merge, deps, log);
    }
  } catch (error) {
    log.error(`curating ${merge.owner}/${merge.repo} failed: ${formatError(error)}`);
    const failure = curateFailureSummary(error);
    if (merge.pullRequest !== undefined) {
      await commentOnce(github, {
        ...ref,
        issueNumber: merge.pullRequest,
        key: `curate-failed:${merge.commitSha}`,
        body: `**Curation failed.**\n\n${failure.summary}`,
      });
    }
    await publishCheckRun(github, ref, {
      name: CURATE_CHECK,
      headSha: merge.commitSha,
      conclusion: 'failure',
      title: failure.title,
      summary: failure.summary,
      annotations: [],
    });
    return undefined;
  }
  const nothingNew =
    report.indexCommit === undefined &&
    report.published.length + report.revised.length + report.unpublished.length + report.refused.length === 0;
  if (merge.quiet === true && nothingNew) return report;
  for (const v of report.published) memory.set(`${merge.owner}/${merge.repo}:${v.name}@${v.version}`.toLowerCase(), v);
  let earlier: PublishedVersion[] = [];
  if (merge.pullRequest !== undefined) {
    // Only for the comment's completeness: a failure to list files must not hide the result.
    const files = await listPullRequestFiles(github, ref, merge.pullRequest).catch(() => []);
    earlier = files
      .filter((f) => f.status === 'added')
      .map((f) => DEFINITION.exec(f.filename))
      .flatMap((m) => (m ? [memory.get(`${merge.owner}/${merge.repo}:${m[1]}@${m[2]}`.toLowerCase())] : []))
      .filter((v): v is PublishedVersion => v !== undefined);
  }
  const summary = curateSummary(report, repoUrl, earlier);
  if (merge.pullRequest !== undefined) {
    await commentOnce(github, {
      ...ref,
      issueNumber: merge.pullRequest,
      key: `curate:${merge.commitSha}`,
      body: summary.summary,
    });
  }
  await publishCheckRun(github, ref, {
    name: CURATE_CHECK,
    headSha: merge.commitSha,
    conclusion: summary.conclusion,
    title: summary.title,
    summary: summary.summary,
    annotations: [],
  });
  return report;
}

async function curateRepository(
  github: GitHub,
  merge: MergeToCurate,
  deps: AppDependencies,
  log: Logger,
): Promise<CurateReport> {
  const token = await installationToken(github);
  const dir = await deps.checkout.clone(merge.owner, merge.repo, token);
  try {
    const { indexBranch, releases, limits } = await settingsOf(dir);
    const stores = await deps.stores({ owner: merge.owner, repo: merge.repo, octokit: github, releases, limits });
    const report = await deps.curate({
      repoDir: dir,
      head: `refs/heads/${merge.mainBranch}`,
      mainBranch: merge.mainBranch,
      stores,
      indexBranch,
      // The merge-time gate judges each change with its pull request's author and approvals.
      pullRequests: githubPullRequests(github, { owner: merge.owner, repo: merge.repo }),
      ...(deps.signingKeyPem === undefined ? {} : { signingKeyPem: deps.signingKeyPem }),
      log: (line) => log.info(line),
    });
    // Every pass (a merge, or the reconcile timer) also keeps the index's timestamp signed: it expires in a day.
    const refreshed =
      deps.signingKeyPem === undefined || report.snapshotVersion === undefined
        ? undefined
        : await refreshIndex({ repoDir: dir, signingKeyPem: deps.signingKeyPem, indexBranch });
    if (refreshed?.indexCommit !== undefined)
      log.info(`re-signed the index ${refreshed.resigned}, valid until ${refreshed.expires}`);
    // Then the download counts (once a day) and the website, in the same push.
    const beside =
      report.snapshotVersion === undefined
        ? false
        : await updateBesideTheIndex({ owner: merge.owner, repo: merge.repo, dir, indexBranch, stores }, deps, log);
    // The token for the push is asked for again: the client renews it when the run outlasted the first one.
    if (report.indexCommit !== undefined || refreshed?.indexCommit !== undefined || beside)
      await deps.checkout.pushIndex(dir, indexBranch, await installationToken(github));
    return report;
  } finally {
    await deps.checkout.release(dir);
  }
}

/** The index branch and release layout the checked-out registry.yaml names; curate itself reports a broken file. */
async function settingsOf(dir: string): Promise<Pick<RegistryConfig, 'indexBranch' | 'releases' | 'limits'>> {
  try {
    return validSettings(parseRegistrySettings(await readFile(join(dir, REGISTRY_YAML))));
  } catch {
    return { indexBranch: 'index', releases: 'per-package', limits: DEFAULT_LIMITS };
  }
}
