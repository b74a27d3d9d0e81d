/** What the registry's git history knows: versions that were deleted (unpublished) and when files were added. */
import { runGit } from './run-git.js';
import { resolveCommit } from './revision.js';

/** Every path under `prefix` that some commit reachable from `rev` deleted; one `git log` for the whole history. */
export async function deletedPaths(repoDir: string, rev: string, prefix = 'packages/'): Promise<Set<string>> {
  const commit = await resolveCommit(repoDir, rev);
  const { stdout } = await runGit(
    repoDir,
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
    {
      timeoutMs: 60_000,
    },
  );
  const paths = new Set<string>();
  for (const part of stdout.toString('utf8').split('\0')) {
    const path = part.replace(/^\n+/, '');
    if (path) paths.add(path);
  }
  return paths;
}

/** When `path` was last added on the history of `rev` (committer date), or undefined when it never was. */
export async function addedAt(repoDir: string, rev: string, path: string): Promise<Date | undefined> {
  const commit = await resolveCommit(repoDir, rev);
  const { stdout } = await runGit(
    repoDir,
    ['--literal-pathspecs', 'log', '--no-renames', '--diff-filter=A', '--format=%cI', '-1', commit, '--', path],
    { timeoutMs: 30_000 },
  );
  const text = stdout.toString('utf8').trim();
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
