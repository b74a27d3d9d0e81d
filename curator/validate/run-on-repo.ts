/** The gate on a local clone: the whole registry at one commit, or base..head as one pull request. */
import { stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { diffChanges } from '../git/diff.js';
import { addedAt, deletedPaths } from '../git/history.js';
import { mergeBase, resolveCommit } from '../git/revision.js';
import { runGit } from '../git/run-git.js';
import { gitTree, type GitTree } from '../git/tree.js';
import { definitionPath } from './paths.js';
import type { PackableCheck, RegistryHistory, ValidationReport } from './types.js';
import { validateChange } from './validate-change.js';
import { validateRegistry } from './validate-registry.js';

export interface RepoValidation {
  repo: string;
  /** Without it: the whole registry at `head`. */
  base?: string;
  head?: string;
  author?: string;
  approvedBy?: string[];
  trustee?: boolean;
  extraTrustees?: string[];
  checkPackable?: PackableCheck;
  now?: Date;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

async function checkRepo(repo: string): Promise<void> {
  const info = await stat(repo).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UsageError(`${repo} is not a directory`, {
      where: repo,
      hint: 'pass --repo with a clone of the registry',
    });
  try {
    await runGit(repo, ['rev-parse', '--git-dir'], { timeoutMs: 10_000 });
  } catch (cause) {
    throw new UsageError(`${repo} is not a git repository`, {
      where: repo,
      hint: 'pass --repo with a clone of the registry',
      cause,
    });
  }
}

function historyOf(repo: string, rev: string): RegistryHistory {
  let paths: Promise<Set<string>> | undefined;
  return { deletedDefinitions: () => (paths ??= deletedPaths(repo, rev, 'packages/')) };
}

/** Validate a local registry repository; throws UsageError for bad flags, a missing repository or an unknown revision. */
export async function validateRepo(options: RepoValidation): Promise<ValidationReport> {
  await checkRepo(options.repo);
  const headRev = options.head ?? 'HEAD';
  if (options.base === undefined) {
    const tree = await gitTree(options.repo, headRev);
    try {
      return await validateRegistry(tree, { history: historyOf(options.repo, tree.commit) });
    } finally {
      tree.close();
    }
  }
  if (!options.author)
    throw new UsageError('--base needs --author: the login of the pull request author', {
      hint: 'e.g. --base main --author octocat',
    });
  for (const login of [options.author, ...(options.approvedBy ?? [])]) {
    if (!LOGIN.test(login))
      throw new UsageError(`${JSON.stringify(login.slice(0, 80))} is not a GitHub login`, {
        hint: 'logins are letters, digits and single hyphens',
      });
  }
  const [baseCommit, headCommit] = await Promise.all([
    resolveCommit(options.repo, options.base),
    resolveCommit(options.repo, headRev),
  ]);
  // Like a pull request's diff: what head changed since it left base.
  const from = (await mergeBase(options.repo, baseCommit, headCommit)) ?? baseCommit;
  const changes = await diffChanges(options.repo, from, headCommit);
  const trees: GitTree[] = [];
  try {
    const base = await gitTree(options.repo, baseCommit);
    trees.push(base);
    const head = await gitTree(options.repo, headCommit);
    trees.push(head);
    return await validateChange({
      base,
      head,
      changes,
      history: historyOf(options.repo, baseCommit),
      pr: {
        author: options.author,
        approvers: options.approvedBy ?? [],
        trusteeApproved: options.trustee === true,
        ...(options.extraTrustees ? { extraTrustees: options.extraTrustees } : {}),
        now: options.now ?? new Date(),
        publishedAt: (name, version) => addedAt(options.repo, baseCommit, definitionPath(name, version)),
      },
      ...(options.checkPackable ? { checkPackable: options.checkPackable } : {}),
    });
  } finally {
    for (const tree of trees) tree.close();
  }
}
