/**
 * `granary automerge`: merge the pull requests the gate passed once their objection window is over, as
 * Julia's General registry does. A pull request merges when `granary/validate` passed on its current head,
 * the waiting period for its kind of change has passed since then (registry.yaml `automerge`: a new package
 * waits days, a new version minutes, a trustee's change none), no person's comment objects (`[noblock]` in a
 * comment says it does not), and it merges with the head it was judged on (GitHub refuses the merge if
 * the head moved meanwhile).
 */
import {
  DEFAULT_AUTOMERGE,
  parseRegistryConfig,
  REGISTRY_FILE,
  type RegistryConfig,
} from '../../core/registry-config.js';
import { classifyPath } from '../registry/layout.js';
import { githubError, statusOf } from './api-error.js';
import { readRepositoryFile } from './contents.js';
import { REQUIRED_CHECK } from './doctor.js';
import type { GitHub, RepoRef } from './octokit.js';

export interface AutomergeOptions {
  /** Milliseconds since the epoch (default: `Date.now`). */
  now?: () => number;
  /** Report what would merge; merge nothing. */
  dryRun?: boolean;
  /** Do nothing unless registry.yaml says `automerge.enabled` (the app's timer). */
  enabledOnly?: boolean;
  /** The default branch, when the caller knows it (saves a request). */
  branch?: string;
}

export interface AutomergeDecision {
  number: number;
  headSha: string;
  /** `merged`; `waiting` (until `until`); `blocked` (why); `not-ready` (no passing check on this head). */
  outcome: 'merged' | 'would-merge' | 'waiting' | 'blocked' | 'not-ready';
  kind?: 'new-package' | 'new-version' | 'other';
  until?: string;
  reason?: string;
}

const MINUTE = 60_000;

/** Decide, and merge, every open pull request of the registry. */
export async function automerge(
  github: GitHub,
  ref: RepoRef,
  options: AutomergeOptions = {},
): Promise<AutomergeDecision[]> {
  const now = options.now ?? Date.now;
  const base =
    options.branch ??
    (await call(() => github.rest.repos.get({ owner: ref.owner, repo: ref.repo }), `reading ${ref.owner}/${ref.repo}`))
      .data.default_branch;
  const config = await registryConfig(github, ref, base);
  if (options.enabledOnly === true && !config.automerge.enabled) return [];
  const pulls = await call(
    () => github.paginate(github.rest.pulls.list, { ...ref, state: 'open', base, per_page: 100 }),
    `listing the open pull requests of ${ref.owner}/${ref.repo}`,
  );
  const decisions: AutomergeDecision[] = [];
  for (const pr of pulls) {
    const decision = await decide(
      github,
      ref,
      config,
      { number: pr.number, headSha: pr.head.sha, author: pr.user?.login ?? '' },
      now(),
    );
    if (decision.outcome === 'would-merge' && options.dryRun !== true) {
      decisions.push(await merge(github, ref, config, decision));
    } else decisions.push(decision);
  }
  return decisions;
}

type Settings = Pick<RegistryConfig, 'automerge' | 'trustees'>;

async function registryConfig(github: GitHub, ref: RepoRef, branch: string): Promise<Settings> {
  const text = await readRepositoryFile(github, ref, REGISTRY_FILE, branch);
  return text === undefined ? { automerge: DEFAULT_AUTOMERGE, trustees: [] } : parseRegistryConfig(text);
}

async function decide(
  github: GitHub,
  ref: RepoRef,
  settings: Settings,
  pr: { number: number; headSha: string; author: string },
  now: number,
): Promise<AutomergeDecision> {
  const base = { number: pr.number, headSha: pr.headSha };
  const checks = await call(
    () => github.rest.checks.listForRef({ ...ref, ref: pr.headSha, check_name: REQUIRED_CHECK, per_page: 10 }),
    `reading the checks of #${pr.number}`,
  );
  const passed = checks.data.check_runs
    .filter((c) => c.head_sha === pr.headSha && c.status === 'completed' && c.conclusion === 'success')
    .map((c) => Date.parse(c.completed_at ?? ''))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => b - a)[0];
  if (passed === undefined)
    return { ...base, outcome: 'not-ready', reason: `${REQUIRED_CHECK} has not passed on ${pr.headSha.slice(0, 12)}` };
  const comments = await call(
    () => github.paginate(github.rest.issues.listComments, { ...ref, issue_number: pr.number, per_page: 100 }),
    `reading the comments of #${pr.number}`,
  );
  const objection = comments.find((c) => c.user?.type !== 'Bot' && !/\[noblock\]/i.test(c.body ?? ''));
  if (objection)
    return {
      ...base,
      outcome: 'blocked',
      reason: `${objection.user?.login ?? 'someone'} commented (${objection.html_url}); a comment holds the merge unless it says [noblock]: merge by hand, or answer with [noblock]`,
    };
  const kind = await kindOf(github, ref, pr.number);
  const config = settings.automerge;
  const minutes = settings.trustees.map((t) => t.toLowerCase()).includes(pr.author.toLowerCase())
    ? config.trusteeMinutes
    : kind === 'new-package'
      ? config.newPackageMinutes
      : kind === 'new-version'
        ? config.newVersionMinutes
        : config.otherMinutes;
  const until = passed + minutes * MINUTE;
  if (now < until) return { ...base, kind, outcome: 'waiting', until: new Date(until).toISOString() };
  return { ...base, kind, outcome: 'would-merge' };
}

/** The kind of change a pull request makes: a new package waits longest. */
async function kindOf(github: GitHub, ref: RepoRef, number: number): Promise<AutomergeDecision['kind']> {
  const files = await call(
    () => github.paginate(github.rest.pulls.listFiles, { ...ref, pull_number: number, per_page: 100 }),
    `listing the files of #${number}`,
  );
  let kind: AutomergeDecision['kind'] = 'other';
  for (const f of files) {
    const info = classifyPath(f.filename);
    if (info.kind !== 'definition' || f.status !== 'added') return 'other';
    kind = 'new-version';
  }
  if (kind !== 'new-version') return kind;
  // A definition under a folder the base does not have is a new package.
  for (const f of files) {
    const info = classifyPath(f.filename);
    if (info.kind !== 'definition') continue;
    try {
      await github.rest.repos.getContent({ ...ref, path: `packages/${info.name}` });
    } catch (error) {
      if (statusOf(error) === 404) return 'new-package';
      throw githubError(error, `looking for packages/${info.name}`, { repo: `${ref.owner}/${ref.repo}` });
    }
  }
  return 'new-version';
}

async function merge(
  github: GitHub,
  ref: RepoRef,
  settings: Settings,
  decision: AutomergeDecision,
): Promise<AutomergeDecision> {
  try {
    await github.rest.pulls.merge({
      ...ref,
      pull_number: decision.number,
      sha: decision.headSha,
      merge_method: settings.automerge.method,
      // A 409 (the head moved) is an answer, not a hiccup to retry.
      request: { retries: 0 },
    });
    return { ...decision, outcome: 'merged' };
  } catch (error) {
    // 409: the head moved after it was judged; 405: not mergeable (conflicts, protection); 403/422: GitHub refuses
    // this one merge (a token without the workflows permission cannot merge a change to .github/workflows/).
    // Each is said for this pull request, never forced, and the others still merge.
    const status = statusOf(error);
    if (status === 409 || status === 405 || status === 403 || status === 422)
      return {
        ...decision,
        outcome: 'blocked',
        reason:
          status === 409
            ? `the head moved past ${decision.headSha.slice(0, 12)}: the new head is checked and waits again`
            : `GitHub refused the merge (${status}): ${(error as Error).message}; merge it by hand`,
      };
    throw githubError(error, `merging #${decision.number}`, {
      repo: `${ref.owner}/${ref.repo}`,
      permission: 'contents: write',
    });
  }
}

async function call<T>(fn: () => Promise<T>, doing: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw githubError(error, doing);
  }
}
