/** The index branch: read its files through git objects, and commit new ones with plumbing and compare-and-swap. */
import { ConcurrencyError, InputError, UsageError } from '../../core/errors.js';
import { isBranchName } from '../../core/git/ref-names.js';
import type { Snapshot } from '../../schema/types.js';
import { commitFiles } from '../git/commit-files.js';
import type { BlobReader, Git } from '../git/repository.js';
import { listTree } from '../git/tree.js';
import { parseSnapshot, SNAPSHOT_FILE } from './index-files.js';
import type { PreviousIndex } from './index-state.js';

/** The index branch at one commit: its snapshot (if any) and a lazy reader of its files. */
export interface IndexBranch {
  branch: string;
  /** The branch's commit, undefined when the branch does not exist yet. */
  tip: string | undefined;
  snapshot: Snapshot | undefined;
  source: PreviousIndex;
  reader: BlobReader;
}

/** Check a branch name by git's rules (without a process), so it cannot be read as an option or a range. */
export function checkBranchName(branch: string): string {
  if (!isBranchName(branch))
    throw new UsageError(`${JSON.stringify(String(branch).slice(0, 80))} is not a valid branch name`, {
      hint: 'use a plain name such as index',
    });
  return branch;
}

/** Open the index branch for reading, through the repository's object reader. */
export async function openIndexBranch(git: Git, branch: string): Promise<IndexBranch> {
  checkBranchName(branch);
  const reader = git.objects;
  const tip = await git.resolveRef(`refs/heads/${branch}`);
  if (tip === undefined)
    return { branch, tip, snapshot: undefined, source: { files: {}, read: async () => undefined }, reader };
  const read = async (path: string) => (await reader.read(`${tip}:${path}`))?.toString('utf8');
  const text = await read(SNAPSHOT_FILE);
  if (text === undefined) {
    throw new InputError(`the index branch ${branch} has no snapshot.json`, {
      where: `${branch}:${SNAPSHOT_FILE}`,
      hint: 'this branch was not written by the curator; choose another --index-branch or remove it',
    });
  }
  const snapshot = parseSnapshot(text, `${branch}:${SNAPSHOT_FILE}`);
  return { branch, tip, snapshot, source: { files: snapshot.files, read }, reader };
}

/** Every file of the index branch at `tip`: path → blob id. */
export async function listIndexFiles(git: Git, tip: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await listTree(git, tip, { sizes: false }))
    if (entry.type === 'blob') files.set(entry.path, entry.id);
  return files;
}

export type IndexFault = 'index-write' | 'index-commit';

export interface CommitIndexOptions {
  branch: string;
  /** The commit the branch must still point at (undefined: the branch must not exist). */
  parent: string | undefined;
  /** Changed files: new bytes, or null to remove the file; always includes a new snapshot.json, so a commit is always made. */
  changes: Map<string, Buffer | null>;
  message: string;
  /** Author and committer date; the curated main commit's date keeps index commits reproducible. */
  date: string;
  fault?: (step: IndexFault) => void;
}

export interface CommitIndexResult {
  commit: string;
  /** Blobs written (changed files). */
  blobs: number;
}

/**
 * Commit `changes` on top of `parent` without a work tree: only the changed blobs written, trees and
 * commit in the same pack, and a compare-and-swap ref update so that of two runs racing, exactly one moves the branch.
 */
export async function commitIndex(git: Git, options: CommitIndexOptions): Promise<CommitIndexResult> {
  const ref = `refs/heads/${options.branch}`;
  const headRef = await git.text(['symbolic-ref', '-q', 'HEAD'], { okCodes: [1] });
  if (headRef === ref) {
    throw new UsageError(`the index branch ${options.branch} is checked out in ${git.dir}`, {
      hint: 'check out main (curate never writes a work tree), then run curate again',
    });
  }
  const fault = options.fault;
  const result = await commitFiles(git, {
    ref,
    parent: options.parent,
    changes: options.changes,
    message: options.message,
    date: options.date,
    identity: { name: 'Granary curator', email: 'curator@granary.invalid' },
    reason: 'granary curate',
    // With a fault hook (tests), blobs go in two batches so a run can be stopped with half of them written.
    ...(fault === undefined ? {} : { afterHalf: () => fault('index-write'), beforeMove: () => fault('index-commit') }),
  });
  if (!result.moved) {
    throw new ConcurrencyError(`the index branch ${options.branch} moved while this run was curating`, {
      where: `${git.dir} ${ref}`,
      hint: `another curate run committed first; run curate again to continue from its index (${result.detail})`,
    });
  }
  return { commit: result.commit, blobs: result.blobs };
}
