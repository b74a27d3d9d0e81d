/** A definition's `name` and `version` must agree with where the file is. */
import type { Problem } from '../../core/errors.js';
import type { LoadedYaml } from '../../core/yaml.js';
import { definitionPath } from './layout.js';
import { ProblemList } from './problem-list.js';

/** Problems (rule `path-mismatch`) when the file's contents and its path name different versions. */
export function pathProblems(
  file: string,
  loaded: LoadedYaml,
  fromPath: { name: string; version: string },
  value: { name?: unknown; version?: unknown },
): Problem[] {
  const problems = new ProblemList();
  if (typeof value.name === 'string' && value.name !== fromPath.name) {
    problems.error(
      file,
      loaded.locate(['name']),
      'path-mismatch',
      `name ${JSON.stringify(value.name.slice(0, 80))} does not match the file's folder: a definition of ${value.name} belongs at ${definitionPath(value.name, '<version>')}`,
    );
  }
  if (typeof value.version === 'string' && value.version !== fromPath.version) {
    problems.error(
      file,
      loaded.locate(['version']),
      'path-mismatch',
      `version ${JSON.stringify(value.version.slice(0, 80))} does not match the file name ${fromPath.version}.yaml`,
    );
  }
  return problems.items;
}
