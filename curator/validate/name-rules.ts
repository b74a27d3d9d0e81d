/** Rules for a new package's name: not reserved, not confusingly close to an existing one. */
import { similarNames } from '../../core/names.js';

/** Why `name` is reserved (whole name or, for scoped names, the base), or undefined. */
export function reservedError(name: string, reserved: readonly string[]): string | undefined {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const hit = reserved.find((r) => r === name || (!name.startsWith('@') && r === base));
  if (!hit) return undefined;
  return `the name ${name} is reserved by the registry; a trustee must approve its use`;
}

/** Branch names a registry repository has or usually has; `HEAD` is compared lowercased, as names are. */
const BRANCH_NAMES = ['main', 'master', 'gh-pages', 'head', 'index'];

/**
 * Why `name` cannot be a package at all, trustee or not: its release tag would share a name with a
 * branch of the registry repository, and `git push origin main` would then be ambiguous.
 */
export function branchNameError(name: string, indexBranch: string): string | undefined {
  if (!BRANCH_NAMES.includes(name) && name !== indexBranch) return undefined;
  return `the name ${name} is also a branch name of the registry repository (its release tag would make pushes to that branch ambiguous); choose another name`;
}

/** Why `name` is too close to existing names, or undefined. */
export function similarError(name: string, existing: Iterable<string>): string | undefined {
  const hits = similarNames(name, existing);
  if (hits.length === 0) return undefined;
  return `the name ${name} is very close to the existing ${hits.length === 1 ? 'package' : 'packages'} ${hits.slice(0, 5).join(', ')}; choose a more distinct name, or ask a trustee to approve`;
}
