/** The Probot app: checks pull requests and curates merges, one run at a time per repository. */
import type { ApplicationFunction, Context, Probot } from 'probot';
import type { GitHub } from '../github/octokit.js';
import { getPullRequest } from '../github/pr-files.js';
import { checkPullRequest, type Logger } from './check-pull-request.js';
import { curateMerge, type PublishedMemory } from './curate-repository.js';
import type { AppDependencies } from './dependencies.js';
import { createKeyedQueue, type KeyedQueue } from './keyed-queue.js';
import { createSeenDeliveries } from './seen-deliveries.js';

export type { AppDependencies } from './dependencies.js';

/** Events the app acts on; app.yml subscribes to exactly the events these belong to. */
export const PULL_REQUEST_ACTIONS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.edited',
] as const;
export const REVIEW_ACTIONS = ['pull_request_review.submitted', 'pull_request_review.dismissed'] as const;

export const MERGE_GROUP_ACTIONS = ['merge_group.checks_requested'] as const;

/** A merge queue's temporary branch names the pull request it tests: `gh-readonly-queue/<base>/pr-<number>-<base sha>`. */
const QUEUE_REF = /^refs\/heads\/gh-readonly-queue\/.+\/pr-(\d{1,9})-[0-9a-f]{40}$/;

const ZERO_SHA = /^0{40}$/;

/** Build the app function; the returned object also exposes the queue, for tests and graceful shutdown. */
export function createApp(deps: AppDependencies): ApplicationFunction & { queue: KeyedQueue } {
  const queue = createKeyedQueue();
  const deliveries = createSeenDeliveries();
  const memory: PublishedMemory = new Map();
  /** Heads curated by this instance, so the push that follows a PR merge does not curate twice. */
  const curatedHeads = new Set<string>();

  /** Run once per delivery, serialized per repository. */
  const handle = async (context: Context, owner: string, repo: string, work: () => Promise<void>): Promise<void> => {
    // Not a registry this app serves: no check run, no comment, no request at all.
    if (deps.repositories !== undefined && !deps.repositories.has(`${owner}/${repo}`.toLowerCase())) {
      context.log.info(`${owner}/${repo} is not in GRANARY_REPOSITORIES; ignoring delivery ${context.id}`);
      return;
    }
    if (!deliveries.first(context.id)) {
      context.log.info(`delivery ${context.id} was already handled; ignoring the redelivery`);
      return;
    }
    try {
      await queue.run(`${owner}/${repo}`.toLowerCase(), work);
    } catch (error) {
      deliveries.forget(context.id);
      throw error;
    }
  };

  const appFn = (app: Probot) => {
    app.on([...PULL_REQUEST_ACTIONS, ...REVIEW_ACTIONS], async (context) => {
      const { pull_request: pr, repository } = context.payload;
      if (pr.state !== 'open') return;
      const owner = repository.owner.login;
      const repo = repository.name;
      await handle(context, owner, repo, async () => {
        await checkPullRequest(
          octokitOf(context),
          {
            owner,
            repo,
            number: pr.number,
            headSha: pr.head.sha,
            baseSha: pr.base.sha,
            author: pr.user?.login ?? '',
            authorAssociation: pr.author_association,
            action: context.payload.action,
          },
          deps,
          loggerOf(context),
        );
      });
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
        const github = octokitOf(context);
        if (number === undefined) {
          context.log.warn(`merge group ${group.head_ref} names no pull request; ignoring it`);
          return;
        }
        const pr = await getPullRequest(github, { owner, repo }, Number(number));
        await checkPullRequest(
          github,
          {
            owner,
            repo,
            number: pr.number,
            headSha: group.head_sha,
            baseSha: group.base_sha,
            reviewedSha: pr.head.sha,
            author: pr.user?.login ?? '',
            authorAssociation: pr.author_association,
            action: 'merge_group',
          },
          deps,
          loggerOf(context),
        );
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
      await handle(context, owner, repo, async () => {
        const report = await curateMerge(
          octokitOf(context),
          { owner, repo, commitSha: sha, pullRequest: pr.number, mainBranch: repository.default_branch },
          deps,
          memory,
          loggerOf(context),
        );
        if (report) remember(curatedHeads, `${owner}/${repo}@${report.curatedCommit}`);
      });
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
          return;
        }
        const report = await curateMerge(
          octokitOf(context),
          { owner, repo, commitSha: after, mainBranch: repository.default_branch },
          deps,
          memory,
          loggerOf(context),
        );
        if (report) remember(curatedHeads, `${owner}/${repo}@${report.curatedCommit}`);
      });
    });
  };
  return Object.assign(appFn, { queue });
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
