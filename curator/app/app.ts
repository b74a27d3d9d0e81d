/** The Probot app: checks pull requests and curates merges, one run at a time per repository. */
import type { ApplicationFunction, Context, Probot } from 'probot';
import type { GitHub } from '../github/octokit.js';
import { getPullRequest } from '../github/pr-files.js';
import { automerge } from '../github/automerge.js';
import { checkPullRequest, type Logger } from './check-pull-request.js';
import { curateMerge, type MergeToCurate, type PublishedMemory } from './curate-repository.js';
import { CURATE_CHECK, VALIDATE_CHECK } from './messages.js';
import type { AppDependencies } from './dependencies.js';
import { createKeyedQueue, type KeyedQueue } from './keyed-queue.js';
import { createSeenDeliveries } from './seen-deliveries.js';

export type { AppDependencies } from './dependencies.js';

/** What the check needs of a pull request as GitHub's API and webhooks describe it. */
interface PullRequestShape {
  number: number;
  head: { sha: string };
  base: { sha: string };
  user: { login: string } | null;
  author_association: string;
}

/** Events the app acts on; app.yml subscribes to exactly the events these belong to. */
export const PULL_REQUEST_ACTIONS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.edited',
] as const;
export const REVIEW_ACTIONS = ['pull_request_review.submitted', 'pull_request_review.dismissed'] as const;

export const MERGE_GROUP_ACTIONS = ['merge_group.checks_requested'] as const;
/** "Re-run" on a granary check (or its suite) in GitHub's interface. */
export const RERUN_ACTIONS = ['check_run.rerequested', 'check_suite.rerequested'] as const;

/** A merge queue's temporary branch names the pull request it tests: `gh-readonly-queue/<base>/pr-<number>-<base sha>`. */
const QUEUE_REF = /^refs\/heads\/gh-readonly-queue\/.+\/pr-(\d{1,9})-[0-9a-f]{40}$/;

const ZERO_SHA = /^0{40}$/;

/** What one reconciliation pass did. */
export interface Reconciliation {
  repositories: string[];
  /** Repositories whose curation ran (`owner/repo`), with what it published. */
  curated: Array<{ repository: string; published: string[] }>;
  /** Pull requests checked because their head had no granary/validate result (`owner/repo#n`). */
  checked: string[];
  /** Pull requests merged because their objection window was over (registry.yaml `automerge.enabled`). */
  merged: string[];
  failed: string[];
}

/**
 * Build the app function; the returned object also exposes the queue (tests, graceful shutdown) and
 * `reconcile`, which the server runs at start and on a timer once the app is loaded.
 */
export function createApp(
  deps: AppDependencies,
): ApplicationFunction & { queue: KeyedQueue; reconcile: () => Promise<Reconciliation> } {
  const queue = createKeyedQueue();
  const deliveries = createSeenDeliveries();
  const memory: PublishedMemory = new Map();
  /** Heads curated by this instance, so the push that follows a PR merge does not curate twice. */
  const curatedHeads = new Set<string>();

  /**
   * Run once per delivery, serialized per repository. Only a delivery whose work was done counts as seen:
   * when `work` says it was not (the check could not run, curation failed) or throws, a redelivery of the
   * same id (GitHub keeps it) runs it again.
   */
  const handle = async (context: Context, owner: string, repo: string, work: () => Promise<boolean>): Promise<void> => {
    // Not a registry this app serves: no check run, no comment, no request at all.
    if (deps.repositories !== undefined && !deps.repositories.has(`${owner}/${repo}`.toLowerCase())) {
      context.log.info(`${owner}/${repo} is not in GRANARY_REPOSITORIES; ignoring delivery ${context.id}`);
      return;
    }
    if (!deliveries.first(context.id)) {
      context.log.info(`delivery ${context.id} was already handled; ignoring the redelivery`);
      return;
    }
    let done = false;
    try {
      done = await queue.run(`${owner}/${repo}`.toLowerCase(), work);
    } finally {
      if (!done) deliveries.forget(context.id);
    }
  };

  /** The granary/validate check of a pull request as GitHub describes it; false when the check could not run. */
  const check = async (
    github: GitHub,
    target: { owner: string; repo: string },
    pr: PullRequestShape,
    action: string,
    log: Logger,
    queued?: { headSha: string; baseSha: string },
  ): Promise<boolean> => {
    const outcome = await checkPullRequest(
      github,
      {
        owner: target.owner,
        repo: target.repo,
        number: pr.number,
        headSha: queued?.headSha ?? pr.head.sha,
        baseSha: queued?.baseSha ?? pr.base.sha,
        reviewedSha: pr.head.sha,
        author: pr.user?.login ?? '',
        authorAssociation: pr.author_association,
        action,
      },
      deps,
      log,
    );
    return outcome !== 'not-checked';
  };

  /** Check pull request `number` again (a re-run asked for, or a merge queue), reading it fresh. */
  const recheck = async (
    github: GitHub,
    target: { owner: string; repo: string; number: number; headSha?: string; baseSha?: string },
    action: string,
    log: Logger,
  ): Promise<boolean> => {
    const pr = await getPullRequest(github, { owner: target.owner, repo: target.repo }, target.number);
    if (target.headSha === undefined && pr.state !== 'open') return true;
    const queued =
      target.headSha === undefined ? undefined : { headSha: target.headSha, baseSha: target.baseSha ?? pr.base.sha };
    return check(github, target, pr, action, log, queued);
  };

  /** Curate and remember the head curated, so the push that follows a merge does not curate twice. */
  const curate = async (github: GitHub, merge: MergeToCurate, log: Logger): Promise<boolean> => {
    const report = await curateMerge(github, merge, deps, memory, log);
    if (report) {
      // The walk covered main up to the merge even when the index stayed where it was (nothing to publish).
      remember(curatedHeads, `${merge.owner}/${merge.repo}@${report.curatedCommit}`);
      remember(curatedHeads, `${merge.owner}/${merge.repo}@${merge.commitSha}`);
    }
    return report !== undefined;
  };

  let loaded: Probot | undefined;

  /**
   * Heal what events missed (the app was down, a delivery was lost): in every repository it serves,
   * curate whatever the default branch is ahead of the index, and check every open pull request whose
   * head has no granary/validate result. Runs through the same per-repository queue as events.
   */
  const reconcile = async (): Promise<Reconciliation> => {
    if (loaded === undefined) throw new Error('reconcile runs once the app is loaded');
    const app = loaded;
    const result: Reconciliation = { repositories: [], curated: [], checked: [], merged: [], failed: [] };
    const log: Logger = { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m), error: (m) => app.log.error(m) };
    try {
      await reconcileInstallations(app, result, log);
    } catch (error) {
      log.error(`reconciliation stopped: ${(error as Error)?.message ?? String(error)}`);
      throw error;
    }
    log.info(
      `reconciled ${result.repositories.length} repositories: ${result.curated.length} curated, ${result.checked.length} pull requests checked, ${result.merged.length} merged, ${result.failed.length} failed`,
    );
    return result;
  };

  const reconcileInstallations = async (app: Probot, result: Reconciliation, log: Logger): Promise<void> => {
    const appOctokit = await app.auth();
    const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
    for (const installation of installations) {
      const github = (await app.auth(installation.id)) as unknown as GitHub;
      const repos = await github.paginate(github.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
      for (const repository of repos) {
        const name = repository.full_name;
        if (deps.repositories !== undefined && !deps.repositories.has(name.toLowerCase())) continue;
        if (repository.archived) continue;
        result.repositories.push(name);
        const owner = repository.owner.login;
        const repo = repository.name;
        await queue.run(name.toLowerCase(), async () => {
          try {
            const branch = repository.default_branch;
            const head = (await github.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha;
            const report = await curateMerge(
              github,
              { owner, repo, commitSha: head, mainBranch: branch, quiet: true },
              deps,
              memory,
              log,
            );
            if (report === undefined) result.failed.push(`${name}: curation`);
            else {
              remember(curatedHeads, `${owner}/${repo}@${report.curatedCommit}`);
              if (report.indexCommit !== undefined || report.refused.length > 0)
                result.curated.push({
                  repository: name,
                  published: report.published.map((p) => `${p.name}@${p.version}`),
                });
            }
            const open = await github.paginate(github.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 });
            for (const pr of open) {
              const { data } = await github.rest.checks.listForRef({
                owner,
                repo,
                ref: pr.head.sha,
                check_name: VALIDATE_CHECK,
                per_page: 1,
              });
              if (data.total_count > 0) continue;
              const done = await check(github, { owner, repo }, pr, 'reconcile', log);
              (done ? result.checked : result.failed).push(`${name}#${pr.number}`);
            }
            // What waited out its objection window merges now, when registry.yaml turns automerge on.
            for (const d of await automerge(github, { owner, repo }, { enabledOnly: true, branch }))
              if (d.outcome === 'merged') result.merged.push(`${name}#${d.number}`);
          } catch (error) {
            log.error(`reconciling ${name} failed: ${(error as Error)?.message ?? String(error)}`);
            result.failed.push(name);
          }
        });
      }
    }
  };

  const appFn = (app: Probot) => {
    loaded = app;
    app.on([...PULL_REQUEST_ACTIONS, ...REVIEW_ACTIONS], async (context) => {
      const { pull_request: pr, repository } = context.payload;
      if (pr.state !== 'open') return;
      const owner = repository.owner.login;
      const repo = repository.name;
      await handle(context, owner, repo, () =>
        check(octokitOf(context), { owner, repo }, pr, context.payload.action, loggerOf(context)),
      );
    });

    // A merge queue asks for the required checks on the commit it would merge: the PR's change on top of the
    // queue's base (main plus the PRs ahead of it), judged with that PR's author and approvals.
    app.on([...MERGE_GROUP_ACTIONS], async (context) => {
      const { merge_group: group, repository } = context.payload;
      if (repository === undefined) return;
      const owner = repository.owner.login;
      const repo = repository.name;
      const number = QUEUE_REF.exec(group.head_ref)?.[1];
      await handle(context, owner, repo, async () => {
        if (number === undefined) {
          context.log.warn(`merge group ${group.head_ref} names no pull request; ignoring it`);
          return true;
        }
        return recheck(
          octokitOf(context),
          { owner, repo, number: Number(number), headSha: group.head_sha, baseSha: group.base_sha },
          'merge_group',
          loggerOf(context),
        );
      });
    });

    // "Re-run" on a granary check: granary/validate checks its pull requests again, granary/curate curates again.
    app.on([...RERUN_ACTIONS], async (context) => {
      const { repository } = context.payload;
      const owner = repository.owner.login;
      const repo = repository.name;
      const run = 'check_run' in context.payload ? context.payload.check_run : undefined;
      const suite = 'check_suite' in context.payload ? context.payload.check_suite : undefined;
      const name = run?.name;
      if (run !== undefined && name !== VALIDATE_CHECK && name !== CURATE_CHECK) return;
      await handle(context, owner, repo, async () => {
        const github = octokitOf(context);
        const log = loggerOf(context);
        if (name === CURATE_CHECK)
          return curate(github, { owner, repo, commitSha: run!.head_sha, mainBranch: repository.default_branch }, log);
        let ok = true;
        for (const pr of (run ?? suite)!.pull_requests)
          ok = (await recheck(github, { owner, repo, number: pr.number }, 'rerequested', log)) && ok;
        return ok;
      });
    });

    app.on('pull_request.closed', async (context) => {
      const { pull_request: pr, repository } = context.payload;
      if (!pr.merged || !pr.merge_commit_sha) return;
      // Only merges into the default branch are published.
      if (pr.base.ref !== repository.default_branch) return;
      const owner = repository.owner.login;
      const repo = repository.name;
      const sha = pr.merge_commit_sha;
      await handle(context, owner, repo, () =>
        curate(
          octokitOf(context),
          { owner, repo, commitSha: sha, pullRequest: pr.number, mainBranch: repository.default_branch },
          loggerOf(context),
        ),
      );
    });

    app.on('push', async (context) => {
      const { repository, ref, after, deleted } = context.payload;
      if (deleted || ZERO_SHA.test(after)) return;
      if (ref !== `refs/heads/${repository.default_branch}`) return;
      const owner = repository.owner?.login ?? repository.owner?.name ?? '';
      const repo = repository.name;
      await handle(context, owner, repo, async () => {
        if (curatedHeads.has(`${owner}/${repo}@${after}`)) {
          context.log.info(`${owner}/${repo}@${after} is already curated`);
          return true;
        }
        return curate(
          octokitOf(context),
          { owner, repo, commitSha: after, mainBranch: repository.default_branch },
          loggerOf(context),
        );
      });
    });
  };
  return Object.assign(appFn, { queue, reconcile });
}

function remember(set: Set<string>, key: string): void {
  set.add(key);
  if (set.size > 1000) set.delete(set.values().next().value!);
}

function octokitOf(context: Context): GitHub {
  return context.octokit;
}

function loggerOf(context: Context): Logger {
  return {
    info: (m) => context.log.info(m),
    warn: (m) => context.log.warn(m),
    error: (m) => context.log.error(m),
  };
}
