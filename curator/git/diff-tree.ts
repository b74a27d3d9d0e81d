/** The one parser of `git diff-tree -r -z --raw`, and the diffs asked of it: between two commits, and of one commit. */
import { kindOfMode } from '../../core/git/ls-tree.js';
import type { ChangedFile } from '../registry/types.js';
import type { Git } from './repository.js';
import { resolveCommit } from './revision.js';

export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  /** Git mode at the new side (added/modified) or the old side (deleted): 100644, 100755, 120000, 160000. */
  mode: string;
  /** Blob id at the new side (added/modified) or the old side (deleted). */
  blob: string;
  /** Blob id at the old side, for modified files. */
  oldBlob: string | undefined;
}

const RAW = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/;

/** Parse `git diff-tree -r -z --no-renames --raw` output (a leading commit id line, if any, is skipped). */
export function parseDiffTree(out: Buffer): FileChange[] {
  const fields: string[] = [];
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    fields.push(out.subarray(start, end).toString('utf8'));
    start = end + 1;
  }
  const changes: FileChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const m = RAW.exec(fields[i]!);
    const path = fields[i + 1];
    if (!m || path === undefined) continue;
    i++;
    const [, oldMode = '', newMode = '', oldBlob = '', newBlob = '', letter] = m;
    if (letter === 'A') changes.push({ path, status: 'added', mode: newMode, blob: newBlob, oldBlob: undefined });
    else if (letter === 'D')
      changes.push({ path, status: 'deleted', mode: oldMode, blob: oldBlob, oldBlob: undefined });
    else changes.push({ path, status: 'modified', mode: newMode, blob: newBlob, oldBlob });
  }
  return changes;
}

/** What changed from `from` (undefined: nothing, for a root commit) to `to`, limited to `paths` when given; renames arrive as a deletion plus an addition. */
export async function diffTree(
  git: Git,
  from: string | undefined,
  to: string,
  paths: readonly string[] = [],
): Promise<FileChange[]> {
  const { stdout } = await git.run([
    'diff-tree',
    '-r',
    '-z',
    '--no-renames',
    '--no-ext-diff',
    '--no-textconv',
    '--no-commit-id',
    '--raw',
    ...(from === undefined ? ['--root', to] : [from, to]),
    '--',
    ...paths,
  ]);
  return parseDiffTree(stdout);
}

/** Every file that differs between `base` and `head` (revisions), as the gate sees them. */
export async function diffChanges(git: Git, base: string, head: string): Promise<ChangedFile[]> {
  const [from, to] = await Promise.all([resolveCommit(git, base), resolveCommit(git, head)]);
  return (await diffTree(git, from, to)).map(({ path, status, mode }) => {
    const kind = kindOfMode(mode);
    return { path, status, kind: kind === 'other' ? 'file' : kind };
  });
}
