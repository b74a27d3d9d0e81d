/** What a repository's history knows: main's first-parent commits and what each changed, deleted paths, when a file was added. */
import { InputError } from '../../core/errors.js';
import { PACKAGES_DIR, REGISTRY_PATHS } from '../registry/layout.js';
import { diffTree, type FileChange } from './diff-tree.js';
import type { Git } from './repository.js';
import { resolveCommit } from './revision.js';

export interface MainCommit {
  id: string;
  /** First parent; undefined for the root commit. */
  parent: string | undefined;
  /** Committer date, ISO 8601 UTC: what the index records as the time of this change. */
  time: string;
  message: string;
}

/**
 * Main's changes after `from` (exclusive; undefined: from the root) up to `to` (inclusive), oldest first,
 * from one `git log`. A merged pull request is one change whatever the merge method: a merge commit
 * is one (its first-parent diff), a squash is one commit, and the commits a rebase merge (or a
 * fast-forward of rebased commits) put on main share one committer and one commit time, so a run of
 * them is one change from before the first to after the last: an intermediate state is never curated.
 */
export async function firstParentCommits(git: Git, from: string | undefined, to: string): Promise<MainCommit[]> {
  if (from === to) return [];
  const range = from === undefined ? [to] : [`${from}..${to}`];
  const raw = (
    await git.run(['log', '--first-parent', '--reverse', '-z', '--format=%H %P%n%ct %cn <%ce>%n%B', ...range, '--'], {
      timeoutMs: 60_000,
    })
  ).stdout.toString('utf8');
  const commits: Array<MainCommit & { committed: string; merge: boolean }> = [];
  for (const entry of raw.split('\0')) {
    if (entry.trim() === '') continue;
    const body = entry.replace(/^\n/, '');
    const first = body.indexOf('\n');
    const second = body.indexOf('\n', first + 1);
    const ids = body.slice(0, first).split(' ');
    const committed = body.slice(first + 1, second < 0 ? undefined : second);
    const seconds = Number(committed.slice(0, committed.indexOf(' ')));
    commits.push({
      id: ids[0]!,
      parent: ids[1] || undefined,
      time: new Date(seconds * 1000).toISOString(),
      message: second < 0 ? '' : body.slice(second + 1).trim(),
      committed,
      merge: ids.length > 2,
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
  const changes: MainCommit[] = [];
  let previous: (typeof commits)[number] | undefined;
  for (const commit of commits) {
    const { committed: _c, merge: _m, ...change } = commit;
    const last = changes[changes.length - 1];
    if (last && previous && !previous.merge && !commit.merge && previous.committed === commit.committed) {
      changes[changes.length - 1] = { ...change, parent: last.parent, message: `${last.message}\n\n${change.message}` };
    } else changes.push(change);
    previous = commit;
  }
  return changes;
}

/** What `commit` changed under the registry paths, relative to its first parent (or to nothing, for the root). */
export function changesOf(git: Git, commit: MainCommit): Promise<FileChange[]> {
  return diffTree(git, commit.parent, commit.id, REGISTRY_PATHS);
}

/** Every path under `prefix` that some commit reachable from `rev` deleted; one `git log` for the whole history. */
export async function deletedPaths(git: Git, rev: string, prefix = `${PACKAGES_DIR}/`): Promise<Set<string>> {
  const commit = await resolveCommit(git, rev);
  const { stdout } = await git.run(
    [
      '--literal-pathspecs',
      'log',
      '--no-renames',
      '--diff-filter=D',
      '--name-only',
      '--format=',
      '-z',
      commit,
      '--',
      prefix,
    ],
    { timeoutMs: 60_000 },
  );
  const paths = new Set<string>();
  for (const part of stdout.toString('utf8').split('\0')) {
    const path = part.replace(/^\n+/, '');
    if (path) paths.add(path);
  }
  return paths;
}

/** When `path` was last added on the history of `rev` (committer date), or undefined when it never was. */
export async function addedAt(git: Git, rev: string, path: string): Promise<Date | undefined> {
  const commit = await resolveCommit(git, rev);
  const { stdout } = await git.run([
    '--literal-pathspecs',
    'log',
    '--no-renames',
    '--diff-filter=A',
    '--format=%cI',
    '-1',
    commit,
    '--',
    path,
  ]);
  const text = stdout.toString('utf8').trim();
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
