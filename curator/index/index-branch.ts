/** The index branch: read its files through git objects, and commit new ones with plumbing and compare-and-swap. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, InputError, UsageError } from '../../core/errors.js';
import type { Snapshot } from '../../schema/types.js';
import type { BlobReader, Git } from '../curate/git.js';
import { parseSnapshot, SNAPSHOT_FILE } from './index-files.js';
import type { IndexSource } from './index-state.js';

const ZERO = '0'.repeat(40);

/** The index branch at one commit: its snapshot (if any) and a lazy reader of its files. */
export interface IndexBranch {
  branch: string;
  /** The branch's commit, undefined when the branch does not exist yet. */
  tip: string | undefined;
  snapshot: Snapshot | undefined;
  source: IndexSource;
  reader: BlobReader;
}

/** Check a branch name the way git does, so it cannot be read as an option or a range. */
export async function checkBranchName(git: Git, branch: string): Promise<string> {
  const { code } = await git.run(['check-ref-format', '--branch', branch], { okCodes: [1, 128] });
  if (code !== 0 || branch.startsWith('-'))
    throw new UsageError(`${JSON.stringify(branch.slice(0, 80))} is not a valid branch name`, {
      hint: 'use a plain name such as index',
    });
  return branch;
}

/** Open the index branch for reading (through `reader`, or a new one); the caller closes `reader`. */
export async function openIndexBranch(
  git: Git,
  branch: string,
  reader: BlobReader = git.blobs(),
): Promise<IndexBranch> {
  await checkBranchName(git, branch);
  const tip = await git.resolveRef(`refs/heads/${branch}`);
  if (tip === undefined)
    return { branch, tip, snapshot: undefined, source: { files: {}, read: async () => undefined }, reader };
  const read = async (path: string) => (await reader.read(`${tip}:${path}`))?.toString('utf8');
  const text = await read(SNAPSHOT_FILE);
  if (text === undefined) {
    await reader.close();
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
  const raw = (await git.run(['ls-tree', '-r', '-z', '--full-tree', tip])).stdout.toString('utf8');
  const files = new Map<string, string>();
  for (const entry of raw.split('\0')) {
    const m = /^\d{6} blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (m) files.set(m[2]!, m[1]!);
  }
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
 * Commit `changes` on top of `parent` without a work tree: a private GIT_INDEX_FILE, only the changed
 * blobs hashed, and `update-ref NEW OLD` so that of two runs racing, exactly one moves the branch.
 */
export async function commitIndex(git: Git, options: CommitIndexOptions): Promise<CommitIndexResult> {
  const ref = `refs/heads/${options.branch}`;
  const headRef = await git.text(['symbolic-ref', '-q', 'HEAD'], { okCodes: [1] });
  if (headRef === ref) {
    throw new UsageError(`the index branch ${options.branch} is checked out in ${git.dir}`, {
      hint: 'check out main (curate never writes a work tree), then run curate again',
    });
  }
  const scratch = await mkdtemp(join(tmpdir(), 'granary-index-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await git.run(options.parent === undefined ? ['read-tree', '--empty'] : ['read-tree', options.parent], { env });
    const written = [...options.changes].filter((e): e is [string, Buffer] => e[1] !== null);
    const removed = [...options.changes].filter(([, bytes]) => bytes === null).map(([path]) => path);
    // With a fault hook (tests), blobs go in two batches so a run can be stopped with half of them written.
    const half = options.fault === undefined ? 0 : Math.ceil(written.length / 2);
    const format = await objectFormat(git);
    const oids = await writeObjects(git, written.slice(0, half), format);
    options.fault?.('index-write');
    // A large change (a full build) also gets its trees packed by the same fast-import, through a scratch
    // commit: write-tree then finds every tree already written instead of creating thousands of loose objects.
    const scratchRef =
      written.length > TREE_PREPASS_THRESHOLD
        ? `refs/granary-scratch/${process.pid}-${randomBytes(6).toString('hex')}`
        : undefined;
    const prepass =
      scratchRef === undefined
        ? undefined
        : {
            ref: scratchRef,
            parent: options.parent,
            before: written.slice(0, half).map(([path], i) => [path, oids[i]!] as [string, string]),
            removed,
          };
    try {
      oids.push(...(await writeObjects(git, written.slice(half), format, prepass)));
    } finally {
      if (scratchRef !== undefined) await git.run(['update-ref', '-d', scratchRef], { okCodes: [1] });
    }
    const info = [
      ...written.map(([path], i) => `100644 ${oids[i]}\t${path}\n`),
      ...removed.map((path) => `0 ${ZERO}\t${path}\n`),
    ].join('');
    if (info !== '') await git.run(['update-index', '--index-info'], { env, input: info });
    const tree = await git.text(['write-tree'], { env });
    const identity = {
      GIT_AUTHOR_NAME: 'Granary curator',
      GIT_AUTHOR_EMAIL: 'curator@granary.invalid',
      GIT_COMMITTER_NAME: 'Granary curator',
      GIT_COMMITTER_EMAIL: 'curator@granary.invalid',
      GIT_AUTHOR_DATE: options.date,
      GIT_COMMITTER_DATE: options.date,
    };
    const parents = options.parent === undefined ? [] : ['-p', options.parent];
    const commit = await git.text(['commit-tree', tree, ...parents, '-F', '-'], {
      env: identity,
      input: options.message,
    });
    options.fault?.('index-commit');
    const { code, stderr } = await git.run(
      ['update-ref', '-m', 'granary curate', ref, commit, options.parent ?? ZERO],
      { okCodes: [1, 128] },
    );
    if (code !== 0) {
      throw new ConcurrencyError(`the index branch ${options.branch} moved while this run was curating`, {
        where: `${git.dir} ${ref}`,
        hint: `another curate run committed first; run curate again to continue from its index (${stderr.trim().split('\n')[0] ?? ''})`,
      });
    }
    return { commit, blobs: written.length };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The repository's object hash (`sha1`, or `sha256` for repositories created with it). */
async function objectFormat(git: Git): Promise<'sha1' | 'sha256'> {
  const { stdout, code } = await git.run(['rev-parse', '--show-object-format'], { okCodes: [128] });
  return code === 0 && stdout.toString('utf8').trim() === 'sha256' ? 'sha256' : 'sha1';
}

const TREE_PREPASS_THRESHOLD = 64;

interface TreePrepass {
  ref: string;
  parent: string | undefined;
  /** Files already written by an earlier batch: path and blob id. */
  before: Array<[string, string]>;
  removed: string[];
}

/**
 * Write blobs with one `git fast-import` (a pack, not thousands of loose files) and return their ids,
 * computed here the way git does: hash of `blob <size>\0<bytes>`. With `prepass`, the stream also commits
 * the whole change to a scratch ref, so its trees land in the same pack.
 */
async function writeObjects(
  git: Git,
  files: Array<[string, Buffer]>,
  format: 'sha1' | 'sha256',
  prepass?: TreePrepass,
): Promise<string[]> {
  if (files.length === 0 && prepass === undefined) return [];
  const parts: Buffer[] = [];
  const oids = files.map(([, bytes], i) => {
    parts.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
    return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  });
  if (prepass !== undefined) {
    const lines = [`commit ${prepass.ref}`, 'committer Granary curator <curator@granary.invalid> 0 +0000', 'data 0'];
    if (prepass.parent !== undefined) lines.push(`from ${prepass.parent}`);
    for (const [path, oid] of prepass.before) lines.push(`M 100644 ${oid} ${path}`);
    files.forEach(([path], i) => lines.push(`M 100644 :${i + 1} ${path}`));
    for (const path of prepass.removed) lines.push(`D ${path}`);
    parts.push(Buffer.from(`${lines.join('\n')}\n\n`));
  }
  // Fast compression: this pack is short-lived (gc repacks it), and a full build writes tens of megabytes.
  await git.run(['-c', 'pack.compression=1', 'fast-import', '--quiet', '--force'], { input: Buffer.concat(parts) });
  return oids;
}
