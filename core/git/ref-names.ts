/** Names that reach git checked first, by rule and without a process, so none can be read as an option, a range or a path. */

// A branch, tag or commit id, optionally followed by ~N / ^N: no leading '-', no '..', no '@{', no spaces.
const REVISION = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)[A-Za-z0-9_][A-Za-z0-9._/-]{0,254}(?:[~^][0-9]{0,4})*$/;

/** Whether `rev` is a plain revision: a branch, tag or commit id such as main, v1.0.0 or HEAD~1. */
export function isRevisionName(rev: unknown): boolean {
  return typeof rev === 'string' && REVISION.test(rev) && !rev.endsWith('.lock') && !rev.endsWith('/');
}

/**
 * Whether `name` is a ref name git accepts (the rules of `git check-ref-format`, one level allowed): no
 * component starting with '.' or ending in '.lock', no '..', '@{', '//', control characters, space,
 * ~ ^ : ? * [ \, not starting or ending with '/', not ending with '.', not '@'.
 */
export function isRefName(name: unknown): boolean {
  if (typeof name !== 'string' || name === '' || name.length > 1024 || name === '@') return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** Whether `name` is a branch name git accepts (`git check-ref-format --branch`): a ref name, not starting with '-', not HEAD. */
export function isBranchName(name: unknown): boolean {
  return typeof name === 'string' && isRefName(name) && !name.startsWith('-') && name !== 'HEAD';
}
