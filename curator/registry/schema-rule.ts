/** JSON Schema errors as problems that point at the offending key, with the rule the error belongs to. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { versionError } from '../../core/versions.js';
import type { LoadedYaml } from '../../core/yaml.js';
import { describeSchemaError } from '../../schema/validators.js';
import { ProblemList } from './problem-list.js';

type Segment = string | number;

function pathOf(instancePath: string): Segment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(value: unknown, path: Segment[]): unknown {
  let v = value;
  for (const s of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[String(s)] : undefined;
  return v;
}

/** The location branch (github or git) the author meant, so only that branch's errors are shown. */
function locationBranch(value: unknown): number | undefined {
  const loc = valueAt(value, ['location']);
  if (loc === null || typeof loc !== 'object' || Array.isArray(loc)) return undefined;
  if ('github' in loc) return 0;
  if ('git' in loc) return 1;
  return undefined;
}

/** Check `loaded.value` against `validate`; problems carry rule `schema`, `name-syntax` or `version-syntax`. */
export function schemaProblems(
  file: string,
  loaded: LoadedYaml,
  validate: ValidateFunction,
  knownKeys: readonly string[],
): Problem[] {
  const problems = new ProblemList();
  if (validate(loaded.value)) return [];
  const errors = (validate.errors ?? []) as ErrorObject[];
  const branch = locationBranch(loaded.value);
  let locationReported = false;
  for (const e of errors) {
    const path = pathOf(e.instancePath);
    if (path[0] === 'location' && path.length <= 2) {
      const inBranch = branch !== undefined && e.schemaPath.includes(`/oneOf/${branch}/`);
      if (branch === undefined || e.keyword === 'oneOf') {
        if (
          !locationReported &&
          (branch === undefined || !errors.some((x) => x.schemaPath.includes(`/oneOf/${branch}/`)))
        ) {
          problems.error(
            file,
            loaded.locate(['location']),
            'schema',
            'location must be a map with `github: owner/repo` or `git: <url>` (and optionally `subdir`)',
          );
          locationReported = true;
        }
        continue;
      }
      if (!inBranch) continue;
    }
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      const hint = path.length === 0 ? ` (known keys: ${knownKeys.join(', ')})` : '';
      problems.error(
        file,
        loaded.locate([...path, key]),
        'schema',
        `unknown key ${JSON.stringify(key.slice(0, 80))}${path.length === 0 ? '' : ` in ${path.join('.')}`}${hint}`,
      );
      continue;
    }
    if (
      e.keyword === 'propertyNames' ||
      (e.keyword === 'pattern' && path[0] === 'dependencies' && path.length === 2 && e.propertyName !== undefined)
    ) {
      const key = String(e.params.propertyName ?? e.propertyName ?? path[1]);
      problems.error(
        file,
        loaded.locate([...path, key]),
        'name-syntax',
        `dependency ${JSON.stringify(key.slice(0, 80))} is not a package name: ${nameError(key) ?? 'invalid'}`,
      );
      continue;
    }
    if (e.propertyName !== undefined) continue;
    const value = valueAt(loaded.value, path);
    if (path.length === 1 && path[0] === 'name') {
      problems.error(
        file,
        loaded.locate(path),
        'name-syntax',
        `name ${JSON.stringify(String(value).slice(0, 80))} is not a package name: ${nameError(String(value)) ?? describeSchemaError(e)}`,
      );
      continue;
    }
    if (path.length === 1 && path[0] === 'version') {
      problems.error(file, loaded.locate(path), 'version-syntax', versionError(value) ?? describeSchemaError(e));
      continue;
    }
    if (e.keyword === 'required') {
      problems.error(file, loaded.locate(path), 'schema', describeSchemaError(e));
      continue;
    }
    if (e.keyword === 'type' && path.length === 0) {
      problems.error(file, loaded.locate([]), 'schema', 'the file must be a YAML map of keys to values');
      continue;
    }
    problems.error(file, loaded.locate(path), 'schema', describeSchemaError(e));
  }
  return problems.sorted();
}
