/** The index branch: read its files through git objects, and commit new ones with plumbing and compare-and-swap. */
import { ConcurrencyError, InputError, TrustError, UsageError } from '../../core/errors.js';
import { isBranchName } from '../../core/git/ref-names.js';
import { TIMESTAMP_PATH, versionedMetadataPath } from '../../core/tuf-layout.js';
import { readRootFiles, verifyRootChain } from '../../core/tuf/roots.js';
import type { Metadata, Root } from '@tufjs/models';
import { commitFiles } from '../git/commit-files.js';
import type { BlobReader, Git } from '../git/repository.js';
import { listTree } from '../git/tree.js';
import { EMPTY_SOURCE, generationSource, type PreviousIndex } from './index-state.js';
import { openGeneration, type CurrentGeneration } from './tuf/repository.js';

/** The index branch at one commit: its generation (verified), and a reader of its target files. */
export interface IndexBranch {
  branch: string;
  /** The branch's commit, undefined when the branch does not exist yet. */
  tip: string | undefined;
  /** The TUF generation on the branch, verified against the root `trust` chose. */
  generation: CurrentGeneration | undefined;
  source: PreviousIndex;
  reader: BlobReader;
  /** The branch's root versions (metadata/N.root.json), oldest first. */
  roots: Buffer[];
}

/** Check a branch name by git's rules (without a process), so it cannot be read as an option or a range. */
export function checkBranchName(branch: string): string {
  if (!isBranchName(branch))
    throw new UsageError(`${JSON.stringify(String(branch).slice(0, 80))} is not a valid branch name`, {
      hint: 'use a plain name such as index',
    });
  return branch;
}

/**
 * The root to verify the branch with, given the main commit its snapshot says it curated (read before
 * anything is verified) and the roots the branch publishes. Without one, the branch's own root is used:
 * enough to read lines for the PR gate, never to sign on top of.
 */
export type IndexTrust = (commit: string, branchRoots: Buffer[]) => Promise<Metadata<Root>>;

/** Open the index branch for reading, through the repository's object reader. */
export async function openIndexBranch(git: Git, branch: string, trust?: IndexTrust): Promise<IndexBranch> {
  checkBranchName(branch);
  const reader = git.objects;
  const tip = await git.resolveRef(`refs/heads/${branch}`);
  if (tip === undefined) return { branch, tip, generation: undefined, source: EMPTY_SOURCE, reader, roots: [] };
  const read = (path: string) => reader.read(`${tip}:${path}`);
  const where = (path: string) => `${branch}:${path}`;
  const timestamp = await read(TIMESTAMP_PATH);
  if (timestamp === undefined) {
    const formatOne = (await read('snapshot.json')) !== undefined;
    throw new InputError(
      formatOne
        ? `the index branch ${branch} is in format 1 (snapshot.json), which this version no longer reads`
        : `the index branch ${branch} has no ${TIMESTAMP_PATH}`,
      {
        where: where(TIMESTAMP_PATH),
        hint: formatOne
          ? 'move the branch aside (git branch -m index index-format-1) and curate again: curate republishes from main, and finds the tarballs already in the stores'
          : 'this branch was not written by the curator; choose another --index-branch or remove it',
      },
    );
  }
  const rootFiles = await readRootFiles(read);
  const roots = rootFiles.map((r) => r.bytes);
  const root =
    trust === undefined
      ? verifyRootChain(rootFiles.map((r) => ({ bytes: r.bytes, where: where(r.path) }))).at(-1)!
      : await trust(await claimedCommit(read, where), roots);
  const generation = await openGeneration(read, root, where);
  // Every file read to build on must be the one the generation lists: nothing changed outside the curator is carried forward.
  const source = generationSource(
    generation,
    (file) =>
      new TrustError(`${file} on the index branch ${branch} is not the file its bin lists; refusing to build on it`, {
        where: where(file),
        hint: REBUILD_HINT,
      }),
  );
  return { branch, tip, generation, source, reader, roots };
}

/** The main commit the branch's snapshot names, read without verification (it only chooses which root to verify with). */
async function claimedCommit(read: (path: string) => Promise<Buffer | undefined>, where: (path: string) => string) {
  try {
    const timestamp = JSON.parse((await read(TIMESTAMP_PATH))!.toString('utf8')) as {
      signed: { meta: Record<string, { version: number }> };
    };
    const path = versionedMetadataPath('snapshot', timestamp.signed.meta['snapshot.json']!.version);
    const snapshot = JSON.parse((await read(path))!.toString('utf8')) as { signed: { granary: { commit: string } } };
    const commit = snapshot.signed.granary.commit;
    if (typeof commit === 'string' && /^[0-9a-f]{40,64}$/.test(commit)) return commit;
  } catch {
    // reported below
  }
  throw new TrustError('the index branch does not say which main commit it curated', {
    where: where(TIMESTAMP_PATH),
    hint: REBUILD_HINT,
  });
}

const REBUILD_HINT =
  "the index branch was changed outside this registry's curator: rebuild it from main with `granary index build` (then `granary index check`) and curate again";

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
  /** Changed files: new bytes, or null to remove the file; always includes a new timestamp.json, so a commit is always made. */
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
