/** Main's first-parent history as the curator walks it: commits in order, and the registry files each one changed. */
import { InputError } from '../../core/errors.js';
import type { Git } from './git.js';

export interface MainCommit {
  id: string;
  /** First parent; undefined for the root commit. */
  parent: string | undefined;
  /** Committer date, ISO 8601 UTC: what the index records as the time of this change. */
  time: string;
  message: string;
}

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

/** The paths of main the curator acts on. */
export const REGISTRY_PATHS = ['packages', 'overrides', 'registry.yaml'];

/** First-parent commits after `from` (exclusive; undefined: from the root) up to `to` (inclusive), oldest first. */
export async function firstParentCommits(git: Git, from: string | undefined, to: string): Promise<MainCommit[]> {
  if (from === to) return [];
  const range = from === undefined ? [to] : [`${from}..${to}`];
  const raw = (
    await git.run(['log', '--first-parent', '--reverse', '-z', '--format=%H %P%n%ct%n%B', ...range, '--'])
  ).stdout.toString('utf8');
  const commits: MainCommit[] = [];
  for (const entry of raw.split('\0')) {
    if (entry.trim() === '') continue;
    const body = entry.replace(/^\n/, '');
    const first = body.indexOf('\n');
    const second = body.indexOf('\n', first + 1);
    const ids = body.slice(0, first).split(' ');
    const seconds = Number(body.slice(first + 1, second < 0 ? undefined : second));
    commits.push({
      id: ids[0]!,
      parent: ids[1] || undefined,
      time: new Date(seconds * 1000).toISOString(),
      message: second < 0 ? '' : body.slice(second + 1).trim(),
    });
  }
  if (from !== undefined) {
    // The walk must continue exactly where the last one stopped, or main was rewritten under the index.
    if (commits.length === 0 || commits[0]!.parent !== from) {
      throw new InputError(
        `the index was curated up to ${from.slice(0, 12)}, which is not on the first-parent history of ${to.slice(0, 12)}`,
        {
          where: 'snapshot.json commit',
          hint: 'main was rewritten (force-pushed) or the wrong --repo/--index-branch was given; restore main, or rebuild the index deliberately',
        },
      );
    }
  }
  return commits;
}

/** The committer date of one commit, ISO 8601 UTC. */
export async function commitTime(git: Git, commit: string): Promise<string> {
  const seconds = Number(await git.text(['log', '-1', '--format=%ct', commit, '--']));
  return new Date(seconds * 1000).toISOString();
}

/** What `commit` changed under the registry paths, relative to its first parent (or to nothing, for the root). */
export async function changesOf(git: Git, commit: MainCommit): Promise<FileChange[]> {
  const base = commit.parent === undefined ? ['--root', commit.id] : [commit.parent, commit.id];
  const raw = (
    await git.run([
      'diff-tree',
      '-r',
      '-z',
      '--no-renames',
      '--no-commit-id',
      '--raw',
      ...base,
      '--',
      ...REGISTRY_PATHS,
    ])
  ).stdout.toString('utf8');
  return parseRawDiff(raw);
}

/** Parse `git diff-tree -z --raw` output. */
export function parseRawDiff(raw: string): FileChange[] {
  const parts = raw.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i]!;
    const path = parts[i + 1]!;
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(meta);
    if (!m) continue;
    const [, oldMode, newMode, oldBlob, newBlob, letter] = m;
    if (letter === 'A') changes.push({ path, status: 'added', mode: newMode!, blob: newBlob!, oldBlob: undefined });
    else if (letter === 'D')
      changes.push({ path, status: 'deleted', mode: oldMode!, blob: oldBlob!, oldBlob: undefined });
    else changes.push({ path, status: 'modified', mode: newMode!, blob: newBlob!, oldBlob: oldBlob! });
  }
  return changes;
}
