/** The files a change touches, from `git diff-tree` between two commits. */
import type { ChangedFile } from '../validate/types.js';
import { resolveCommit } from './revision.js';
import { kindOfMode } from './tree.js';
import { runGit } from './run-git.js';

/** Parse `git diff-tree -r -z --no-renames` output into changed files. */
export function parseRawDiff(out: Buffer): ChangedFile[] {
  const fields: string[] = [];
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    fields.push(out.subarray(start, end).toString('utf8'));
    start = end + 1;
  }
  const changes: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const path = fields[i + 1]!;
    const match = /^:(\d{6}) (\d{6}) [0-9a-f]+ [0-9a-f]+ ([A-Z])/.exec(meta);
    if (!match) continue;
    const [, srcMode = '', dstMode = '', letter = ''] = match;
    if (letter === 'D') {
      changes.push({ path, status: 'deleted', kind: kindOfMode(srcMode) ?? 'file' });
    } else if (letter === 'A') {
      changes.push({ path, status: 'added', kind: kindOfMode(dstMode) ?? 'file' });
    } else {
      changes.push({ path, status: 'modified', kind: kindOfMode(dstMode) ?? 'file' });
    }
  }
  return changes;
}

/** Every file that differs between `base` and `head` (renames arrive as a deletion plus an addition). */
export async function diffChanges(repoDir: string, base: string, head: string): Promise<ChangedFile[]> {
  const [from, to] = await Promise.all([resolveCommit(repoDir, base), resolveCommit(repoDir, head)]);
  const { stdout } = await runGit(repoDir, [
    'diff-tree',
    '-r',
    '-z',
    '--no-renames',
    '--no-ext-diff',
    '--no-textconv',
    '--raw',
    from,
    to,
  ]);
  return parseRawDiff(stdout);
}
