/** Every dependency must exist in the registry and its range must match at least one published version. */
import type { Problem } from '../../core/errors.js';
import type { LoadedYaml } from '../../core/yaml.js';
import type { Dependencies } from '../../schema/types.js';
import { ProblemList } from '../registry/problem-list.js';
import { rangeMatcher } from '../../core/ranges.js';
import { listVersions } from '../../core/versions.js';
import type { RegistryView } from './registry-view.js';

/** Problems (`dependency-missing`, `dependency-unsatisfiable`, `dependency-cycle` for a self-dependency) for `dependencies` of `self`. */
export function dependencyProblems(
  file: string,
  loaded: LoadedYaml,
  self: string,
  dependencies: Dependencies,
  view: RegistryView,
): Problem[] {
  const problems = new ProblemList();
  for (const [name, range] of Object.entries(dependencies)) {
    const at = () => loaded.locate(['dependencies', name]);
    // An unreadable range is the range rule's to report.
    if (!rangeMatcher(range)) continue;
    if (name === self) {
      problems.error(file, at(), 'dependency-cycle', `${self} depends on itself`);
      continue;
    }
    const versions = view.versions(name);
    if (versions.length === 0) {
      problems.error(
        file,
        at(),
        'dependency-missing',
        `dependency ${name} is not in the registry; publish it first (or in the same pull request)`,
      );
      continue;
    }
    if (view.matching(name, range).length === 0) {
      problems.error(
        file,
        at(),
        'dependency-unsatisfiable',
        `no version of ${name} matches ${JSON.stringify(range)} (published: ${listVersions(versions, 5)})`,
      );
    }
  }
  return problems.items;
}
