/** The index branch: read its files through git objects, and commit new ones with plumbing and compare-and-swap. */
import { ConcurrencyError, InputError, TrustError, UsageError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { verifyBytes } from '../../core/signing.js';
import { isBranchName } from '../../core/git/ref-names.js';
import type { Snapshot } from '../../schema/types.js';
import { commitFiles } from '../git/commit-files.js';
import type { BlobReader, Git } from '../git/repository.js';
import { listTree } from '../git/tree.js';
import { parseSnapshot, SIGNATURE_FILE, SNAPSHOT_FILE } from './index-files.js';
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
  const text = (await reader.read(`${tip}:${SNAPSHOT_FILE}`))?.toString('utf8');
  if (text === undefined) {
    throw new InputError(`the index branch ${branch} has no snapshot.json`, {
      where: `${branch}:${SNAPSHOT_FILE}`,
      hint: 'this branch was not written by the curator; choose another --index-branch or remove it',
    });
  }
  const snapshot = parseSnapshot(text, `${branch}:${SNAPSHOT_FILE}`);
  // Every file read to build on must be the one the snapshot lists: nothing changed outside the curator is carried forward.
  const read = async (path: string) => {
    const bytes = await reader.read(`${tip}:${path}`);
    const listed = Object.hasOwn(snapshot.files, path) ? snapshot.files[path] : undefined;
    if (bytes === undefined && listed === undefined) return undefined;
    if (bytes === undefined || listed === undefined || sha256Hex(bytes) !== listed)
      throw new TrustError(
        `${path} on the index branch ${branch} does not match its snapshot.json; refusing to build on it`,
        {
          where: `${branch}:${path}`,
          hint: REBUILD_HINT,
        },
      );
    return bytes.toString('utf8');
  };
  return { branch, tip, snapshot, source: { files: snapshot.files, read }, reader };
}

const REBUILD_HINT =
  "the index branch was changed outside this registry's curator: rebuild it from main with `granary index build` (then `granary index check`) and curate again";

/**
 * Refuse to build on an index whose snapshot.json is not signed by `publicKey` (registry.yaml's key at
 * the commit the snapshot says it curated): a planted or tampered branch is never signed anew.
 */
export async function verifyIndexBranch(index: IndexBranch, publicKey: string | undefined): Promise<void> {
  if (index.tip === undefined || publicKey === undefined) return;
  const snapshot = await index.reader.read(`${index.tip}:${SNAPSHOT_FILE}`);
  const signature = await index.reader.read(`${index.tip}:${SIGNATURE_FILE}`);
  let verified: boolean;
  try {
    verified =
      snapshot !== undefined &&
      signature !== undefined &&
      verifyBytes(snapshot, signature.toString('utf8').trim(), publicKey);
  } catch {
    verified = false;
  }
  if (!verified)
    throw new TrustError(
      `snapshot.json on the index branch ${index.branch} is not signed by registry.yaml's publicKey ${publicKey}; refusing to build on it`,
      { where: `${index.branch}:${SIGNATURE_FILE}`, hint: REBUILD_HINT },
    );
}

/** Every file of the index branch at `tip`: path → blob id. */
export async function listIndexFiles(git: Git, tip: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await listTree(git, tip, { sizes: false }))
    if (entry.type === 'blob') files.set(entry.path, entry.id);
  return files;
}

/** A file an earlier curate run refused: its path and the main commit (12 hex digits) it came in. */
export interface RecordedRefusal {
  commit: string;
  file: string;
}

/**
 * Every `refused FILE (COMMIT)` line of the index branch's commit messages: a change whose every file was
 * refused was refused whole (by the merge-time gate), and a rebuild must skip it too.
 */
export async function recordedRefusals(git: Git, tip: string): Promise<RecordedRefusal[]> {
  const { stdout } = await git.run(['log', '--format=%B', tip, '--'], { timeoutMs: 60_000 });
  const out: RecordedRefusal[] = [];
  for (const line of stdout.toString('utf8').split('\n')) {
    const m = /^refused (.+) \(([0-9a-f]{12})\)$/.exec(line);
    if (m) out.push({ commit: m[2]!, file: m[1]! });
  }
  return out;
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
