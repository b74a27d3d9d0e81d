/**
 * The tarball contract (core/tarball-contract.ts) applied before packing: a version whose files a
 * client would refuse to extract, or could not write faithfully on macOS or Windows, is refused here,
 * naming the paths, instead of being published and failing at every install.
 */
import { relativePathProblem, TARBALL_LIMITS, TarballTree } from '../../core/tarball-contract.js';
import { SourceFailure } from '../source/errors.js';
import { PackLimitError } from './limit-error.js';

const SHOWN = 5;

/** Throw when the package's files (paths relative to its root) break the contract. */
export function checkTarballContract(paths: string[], where: string): void {
  const problems: string[] = [];
  const tree = new TarballTree();
  const dirs = new Set<string>();
  for (const path of paths) {
    const problem = relativePathProblem(path) ?? tree.add(path, 'file');
    if (problem) problems.push(`${JSON.stringify(path)} ${problem}`);
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
  }
  if (problems.length > 0) {
    throw new SourceFailure(
      `${problems.length} file name(s) cannot be unpacked the same everywhere: ${problems.slice(0, SHOWN).join('; ')}${problems.length > SHOWN ? '; …' : ''}`,
      'source-invalid',
      {
        where,
        hint: 'rename or remove those files in the source (or leave them out with files.exclude), tag again, and point the definition at the new tag',
      },
    );
  }
  const entries = paths.length + dirs.size + 1;
  if (entries > TARBALL_LIMITS.maxEntries) {
    throw new PackLimitError(
      `the tarball would have ${entries} entries (files and directories), more than clients extract (${TARBALL_LIMITS.maxEntries})`,
      'maxEntries',
      [],
      { where, hint: 'leave files out with files.exclude, or split the package' },
    );
  }
}
