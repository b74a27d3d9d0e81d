/**
 * Commit changed files on top of a commit without a work tree or an index file: one `git fast-import`
 * writes the blobs, the trees and the commit (as a pack), one `git update-ref` moves the branch by
 * compare-and-swap, so that of two writers racing from the same parent exactly one wins.
 */
import { randomBytes } from 'node:crypto';
import { gitBlobId } from '../../core/git/blob-id.js';
import type { Git } from './repository.js';

export interface CommitFilesOptions {
  /** The full ref to move, e.g. `refs/heads/index`. */
  ref: string;
  /** The commit the ref must still point at (undefined: the ref must not exist). */
  parent: string | undefined;
  /** path → new bytes, or null to remove the file. */
  changes: ReadonlyMap<string, Buffer | null>;
  message: string;
  /** Author and committer date, ISO 8601. */
  date: string;
  identity: { name: string; email: string };
  /** The reflog message of the ref update. */
  reason: string;
  /** With this hook the blobs go in two packs, and it is called once the first half is written (crash tests). */
  afterHalf?: () => void;
  /** Called once the commit exists, before the ref moves (crash tests). */
  beforeMove?: () => void;
}

export interface CommitFilesResult {
  commit: string;
  /** False when the ref no longer pointed at `parent`: nothing moved. */
  moved: boolean;
  /** git's explanation when the ref did not move. */
  detail: string;
  /** Blobs written (files with new bytes). */
  blobs: number;
}

/** Write `changes` as a commit on `parent` and move `ref` to it, unless `ref` moved meanwhile. */
export async function commitFiles(git: Git, options: CommitFilesOptions): Promise<CommitFilesResult> {
  const format =
    options.parent === undefined ? await git.objectFormat() : options.parent.length === 64 ? 'sha256' : 'sha1';
  const written = [...options.changes].filter((e): e is [string, Buffer] => e[1] !== null);
  const removed = [...options.changes].filter(([, bytes]) => bytes === null).map(([path]) => path);
  for (const path of [...written.map(([p]) => p), ...removed]) checkPath(path);
  const oids = written.map(([, bytes]) => gitBlobId(bytes, format));

  const half = options.afterHalf === undefined ? 0 : Math.ceil(written.length / 2);
  if (half > 0) await fastImport(git, blobCommands(written.slice(0, half)));
  options.afterHalf?.();

  const scratch = `refs/granary-scratch/${process.pid}-${randomBytes(6).toString('hex')}`;
  const rest = written.slice(half);
  const mark = rest.length + 1;
  const seconds = Math.floor(Date.parse(options.date) / 1000);
  if (!Number.isFinite(seconds)) throw new TypeError(`not a date: ${options.date}`);
  const who = `${options.identity.name} <${options.identity.email}> ${seconds} +0000`;
  const message = Buffer.from(options.message, 'utf8');
  const lines = [`commit ${scratch}`, `mark :${mark}`, `author ${who}`, `committer ${who}`, `data ${message.length}`];
  const modifications = [
    ...(options.parent === undefined ? [] : [`from ${options.parent}`]),
    ...written.map(([path], i) => (i < half ? `M 100644 ${oids[i]} ${path}` : `M 100644 :${i - half + 1} ${path}`)),
    ...removed.map((path) => `D ${path}`),
  ];
  const stream = Buffer.concat([
    blobCommands(rest),
    Buffer.from(`${lines.join('\n')}\n`),
    message,
    Buffer.from(`\n${modifications.join('\n')}\n\nget-mark :${mark}\n`),
  ]);
  const commit = (await fastImport(git, stream)).toString('utf8').trim();
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit))
    throw new TypeError(`git fast-import did not name the commit it wrote: ${JSON.stringify(commit.slice(0, 80))}`);

  let moved = false;
  try {
    options.beforeMove?.();
    const zero = '0'.repeat(commit.length);
    const { code, stderr } = await git.run(['update-ref', '-m', options.reason, '--stdin'], {
      input: `update ${options.ref} ${commit} ${options.parent ?? zero}\ndelete ${scratch} ${commit}\n`,
      okCodes: [1, 128],
    });
    moved = code === 0;
    return { commit, moved, detail: moved ? '' : (stderr.trim().split('\n')[0] ?? ''), blobs: written.length };
  } finally {
    if (!moved) await git.run(['update-ref', '-d', scratch], { okCodes: [1, 128] });
  }
}

/** `blob` commands with marks :1, :2 … */
function blobCommands(files: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  files.forEach(([, bytes], i) => {
    parts.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
  });
  return Buffer.concat(parts);
}

/** One `git fast-import` (a pack rather than loose objects; fast compression, since gc repacks it); returns what it printed. */
async function fastImport(git: Git, stream: Buffer): Promise<Buffer> {
  const { stdout } = await git.run(['-c', 'pack.compression=1', 'fast-import', '--quiet'], {
    input: stream,
    timeoutMs: 300_000,
  });
  return stdout;
}

/** fast-import takes a path up to the end of the line, unquoted unless it starts with a double quote. */
function checkPath(path: string): void {
  if (path === '' || path.includes('\n') || path.startsWith('"') || path.startsWith('/'))
    throw new TypeError(`not a path this writer commits: ${JSON.stringify(path.slice(0, 80))}`);
}
