/** Revisions from users checked before they reach git, so none can be read as an option or a range. */
import { UsageError } from '../../core/errors.js';
import { shown } from '../../core/errors.js';
import { isRevisionName } from '../../core/git/ref-names.js';
import type { Git } from './repository.js';

/** Throw a UsageError unless `rev` is a plain revision name. */
export function checkRev(rev: string): string {
  if (!isRevisionName(rev)) {
    throw new UsageError(`${shown(rev)} is not a revision this command accepts`, {
      hint: 'pass a branch, tag or commit id such as main, v1.0.0 or HEAD~1',
    });
  }
  return rev;
}

/** The commit id `rev` names in the repository; a UsageError when there is none. */
export async function resolveCommit(git: Git, rev: string): Promise<string> {
  checkRev(rev);
  let id: string | undefined;
  try {
    id = await git.resolveRef(rev);
  } catch (cause) {
    throw new UsageError(`${shown(rev)} does not name a commit in ${git.dir}`, {
      where: git.dir,
      hint: 'check the revision with `git log --oneline`',
      cause,
    });
  }
  if (id === undefined)
    throw new UsageError(`${shown(rev)} does not name a commit in ${git.dir}`, {
      where: git.dir,
      hint: 'check the revision with `git log --oneline`',
    });
  return id;
}

/** The best common ancestor of two commits (what a pull request's diff starts from), or undefined when unrelated. */
export async function mergeBase(git: Git, a: string, b: string): Promise<string | undefined> {
  const { stdout, code } = await git.run(['merge-base', '--end-of-options', checkRev(a), checkRev(b)], {
    okCodes: [1],
  });
  if (code !== 0) return undefined;
  return stdout.toString('utf8').trim() || undefined;
}
