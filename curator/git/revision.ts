/** Revisions from users checked before they reach git, so none can be read as an option or a range. */
import { UsageError } from '../../core/errors.js';
import { shown } from '../../core/errors.js';
import { runGit } from './run-git.js';

// A branch, tag or commit id, optionally followed by ~N / ^N: no leading '-', no '..', no '@{', no spaces.
const REV = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)[A-Za-z0-9_][A-Za-z0-9._/-]{0,254}(?:[~^][0-9]{0,4})*$/;

/** Throw a UsageError unless `rev` is a plain revision name. */
export function checkRev(rev: string): string {
  if (typeof rev !== 'string' || !REV.test(rev) || rev.endsWith('.lock') || rev.endsWith('/')) {
    throw new UsageError(`${shown(rev)} is not a revision this command accepts`, {
      hint: 'pass a branch, tag or commit id such as main, v1.0.0 or HEAD~1',
    });
  }
  return rev;
}

/** The 40-hex commit id `rev` names in `repoDir`; a UsageError when there is none. */
export async function resolveCommit(repoDir: string, rev: string): Promise<string> {
  checkRev(rev);
  let out: Buffer;
  try {
    ({ stdout: out } = await runGit(
      repoDir,
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
      { timeoutMs: 10_000 },
    ));
  } catch (cause) {
    throw new UsageError(`${shown(rev)} does not name a commit in ${repoDir}`, {
      where: repoDir,
      hint: 'check the revision with `git log --oneline`',
      cause,
    });
  }
  const id = out.toString('utf8').trim();
  if (!/^[0-9a-f]{40}$/.test(id)) throw new UsageError(`${shown(rev)} does not name a commit`, { where: repoDir });
  return id;
}

/** The best common ancestor of two commits (what a pull request's diff starts from), or undefined when unrelated. */
export async function mergeBase(repoDir: string, a: string, b: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(repoDir, ['merge-base', '--end-of-options', checkRev(a), checkRev(b)], {
    okCodes: [1],
    timeoutMs: 30_000,
  });
  if (code !== 0) return undefined;
  return stdout.toString('utf8').trim() || undefined;
}
