/** The gate on a local clone: the whole registry at one commit, or base..head as one pull request. */
import { stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { diffChanges } from '../git/diff-tree.js';
import { addedAt, deletedPaths } from '../git/history.js';
import { Git } from '../git/repository.js';
import { openIndexBranch } from '../index/index-branch.js';
import { IndexState } from '../index/index-state.js';
import { mergeBase, resolveCommit } from '../git/revision.js';
import { gitTree, type GitTree } from '../git/tree.js';
import { createPackableCheck } from '../pack/check.js';
import { definitionPath, PACKAGES_DIR } from '../registry/layout.js';
import { readRegistrySettings } from '../registry/read.js';
import type { PackableCheck, RegistryHistory } from '../registry/types.js';
import type { ChangeInput, ValidationReport } from './types.js';
import { validateChange } from './validate-change.js';
import { validateRegistry } from './validate-registry.js';
import { checkLogins } from './roles.js';

export interface RepoValidation {
  repo: string;
  /** Without it: the whole registry at `head`. */
  base?: string;
  head?: string;
  author?: string;
  approvedBy?: string[];
  trustee?: boolean;
  extraTrustees?: string[];
  /** Dry-run pack each added version (with `base`) with this check. */
  checkPackable?: PackableCheck;
  /** Without `checkPackable`: dry-run pack added versions with the real packer and registry.yaml at base. */
  packAdded?: boolean;
  /** Skip the dry-run packing (and so any fetching) whatever the two options above say. */
  offline?: boolean;
  now?: Date;
  /** Told of each added version as it is dry-run packed. */
  progress?: Progress;
}

async function checkRepo(git: Git): Promise<void> {
  const info = await stat(git.dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UsageError(`${git.dir} is not a directory`, {
      where: git.dir,
      hint: 'pass --repo with a clone of the registry',
    });
  await git.requireRepository('pass --repo with a clone of the registry');
}

function historyOf(git: Git, rev: string): RegistryHistory {
  let paths: Promise<Set<string>> | undefined;
  return { deletedDefinitions: () => (paths ??= deletedPaths(git, rev, `${PACKAGES_DIR}/`)) };
}

/** Validate a local registry repository; throws UsageError for bad flags, a missing repository or an unknown revision. */
export async function validateRepo(options: RepoValidation): Promise<ValidationReport> {
  // One repository for the run: both trees and every ref are read through its one object reader.
  const git = new Git(options.repo);
  try {
    return await validateIn(git, options);
  } finally {
    git.close();
  }
}

async function validateIn(git: Git, options: RepoValidation): Promise<ValidationReport> {
  await checkRepo(git);
  const headRev = options.head ?? 'HEAD';
  if (options.base === undefined) {
    const tree = await gitTree(git, headRev);
    return validateRegistry(tree, { history: historyOf(git, tree.commit) });
  }
  if (!options.author)
    throw new UsageError('--base needs --author: the login of the pull request author', {
      hint: 'e.g. --base main --author octocat',
    });
  checkLogins([options.author, ...(options.approvedBy ?? [])]);
  const [baseCommit, headCommit] = await Promise.all([resolveCommit(git, options.base), resolveCommit(git, headRev)]);
  // Like a pull request's diff: what head changed since it left base.
  const from = (await mergeBase(git, baseCommit, headCommit)) ?? baseCommit;
  const changes = await diffChanges(git, from, headCommit);
  const base = await gitTree(git, baseCommit);
  const head = await gitTree(git, headCommit);
  const checkPackable = options.offline
    ? undefined
    : (options.checkPackable ?? (options.packAdded ? await packerAt(base, options.repo) : undefined));
  return validateChange({
    base,
    head,
    changes,
    history: historyOf(git, baseCommit),
    ...(await publishedLookup(git, base)),
    pr: {
      author: options.author,
      approvers: options.approvedBy ?? [],
      trusteeApproved: options.trustee === true,
      ...(options.extraTrustees ? { extraTrustees: options.extraTrustees } : {}),
      now: options.now ?? new Date(),
      publishedAt: (name, version) => addedAt(git, baseCommit, definitionPath(name, version)),
    },
    ...(checkPackable ? { checkPackable } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
}

/**
 * Whether a version is in the index, from the local index branch (`indexBranch` of registry.yaml at base),
 * when the clone has one: a definition on base that never made it into the index may then be edited (that
 * is adding it again). Without an index branch, every definition on base counts as published.
 */
async function publishedLookup(
  git: Git,
  base: GitTree,
): Promise<Pick<ChangeInput, 'published' | 'publishedDependencies'>> {
  const settings = await readRegistrySettings(base).catch(() => undefined);
  const branch = settings?.config.indexBranch ?? 'index';
  const index = await openIndexBranch(git, branch).catch(() => undefined);
  if (index?.generation === undefined) return {};
  const state = new IndexState(index.source);
  const live = async (name: string, version: string) => {
    const line = await state.line(name, version);
    return line === undefined || line.unpublished !== undefined ? undefined : line;
  };
  return {
    published: async (name, version) => (await live(name, version)) !== undefined,
    publishedDependencies: async (name, version) => {
      const line = await live(name, version);
      return line === undefined ? undefined : (line.dependencies ?? {});
    },
  };
}

/**
 * The real dry-run packer, with the limits and allowed sources of registry.yaml at base (a pull request
 * cannot loosen the rules it is judged by). Without a usable registry.yaml at base the gate reports that
 * itself, and there is nothing to pack against.
 */
async function packerAt(base: GitTree, repo: string): Promise<PackableCheck | undefined> {
  const settings = await readRegistrySettings(base).catch(() => undefined);
  if (!settings?.present || settings.problems.length > 0) return undefined;
  return createPackableCheck(settings.config, { cwd: repo });
}
