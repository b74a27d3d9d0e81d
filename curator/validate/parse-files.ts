/** Definitions and overrides read from a tree with every rule that needs only the file itself. */
import type { Problem } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import { loadYaml, type LoadedYaml } from '../../core/yaml.js';
import { schemas, validateOverride, validatePackageDefinition } from '../../schema/validators.js';
import type { Override, PackageDefinition } from '../../schema/types.js';
import { licenseError } from './license-rule.js';
import { pathProblems } from './path-rule.js';
import { displayPath } from './paths.js';
import { ProblemList } from './problem-list.js';
import { rangeProblems } from './range-rule.js';
import { readYamlFile } from './read-yaml-file.js';
import { schemaProblems } from './schema-rule.js';
import { sourceError } from './source-rule.js';
import type { RegistryTree } from './types.js';

export interface ParsedFile<T> {
  path: string;
  /** The path as printed in problems. */
  file: string;
  name: string;
  version: string;
  loaded: LoadedYaml | undefined;
  text: string | undefined;
  /** The value, when it passed the schema. */
  value: T | undefined;
  problems: Problem[];
}

export type ParsedDefinition = ParsedFile<PackageDefinition>;
export type ParsedOverride = ParsedFile<Override>;

const DEFINITION_KEYS = Object.keys(schemas.package.properties);
const OVERRIDE_KEYS = Object.keys(schemas.override.properties);

/**
 * Keep the value but let go of the parsed document: a registry holds thousands of files and the
 * documents' memory dominated whole-registry checks. The rare late problem re-parses for its location.
 */
function detach(loaded: LoadedYaml, text: string, maxBytes: number): LoadedYaml {
  let again: LoadedYaml | undefined;
  return {
    value: loaded.value,
    issues: loaded.issues,
    locate: (path) => (again ??= loadYaml(text, maxBytes)).locate(path),
  };
}

interface Where {
  path: string;
  name: string;
  version: string;
  size: number | undefined;
}

/** Read a definition and check it on its own: YAML, schema, path, ranges, license and source. */
export async function parseDefinition(
  tree: RegistryTree,
  where: Where,
  config: RegistryConfig,
): Promise<ParsedDefinition> {
  const file = displayPath(where.path);
  const read = await readYamlFile(tree, where.path, where.size, config.limits.maxDefinitionBytes);
  const base = {
    path: where.path,
    file,
    name: where.name,
    version: where.version,
    loaded: read.loaded,
    text: read.text,
  };
  if (!read.loaded || read.problems.length > 0) return { ...base, value: undefined, problems: read.problems };
  const loaded = read.loaded;
  const problems = new ProblemList();
  problems.add(schemaProblems(file, loaded, validatePackageDefinition, DEFINITION_KEYS));
  const raw = (loaded.value !== null && typeof loaded.value === 'object' ? loaded.value : {}) as Record<
    string,
    unknown
  >;
  problems.add(pathProblems(file, loaded, where, raw));
  const deps = raw.dependencies;
  if (deps !== null && typeof deps === 'object' && !Array.isArray(deps))
    problems.add(rangeProblems(file, loaded, deps as Record<string, unknown>));
  if (typeof raw.license === 'string') {
    const error = licenseError(raw.license);
    if (error) problems.error(file, loaded.locate(['license']), 'license', error);
  }
  const schemaOk = !problems.items.some(
    (p) => p.rule === 'schema' || p.rule === 'name-syntax' || p.rule === 'version-syntax',
  );
  const value = schemaOk ? (loaded.value as PackageDefinition) : undefined;
  if (value) {
    const source = sourceError(value.location, config);
    if (source) problems.error(file, loaded.locate(['location', source.key]), 'source-not-allowed', source.message);
  }
  return {
    ...base,
    loaded: detach(loaded, read.text!, config.limits.maxDefinitionBytes),
    value,
    problems: problems.sorted(),
  };
}

/** Read an override and check it on its own: YAML, schema and ranges. */
export async function parseOverride(tree: RegistryTree, where: Where, config: RegistryConfig): Promise<ParsedOverride> {
  const file = displayPath(where.path);
  const read = await readYamlFile(tree, where.path, where.size, config.limits.maxDefinitionBytes);
  const base = {
    path: where.path,
    file,
    name: where.name,
    version: where.version,
    loaded: read.loaded,
    text: read.text,
  };
  if (!read.loaded || read.problems.length > 0) return { ...base, value: undefined, problems: read.problems };
  const loaded = read.loaded;
  const problems = new ProblemList();
  problems.add(schemaProblems(file, loaded, validateOverride, OVERRIDE_KEYS));
  const raw = (loaded.value !== null && typeof loaded.value === 'object' ? loaded.value : {}) as Record<
    string,
    unknown
  >;
  const deps = raw.dependencies;
  if (deps !== null && typeof deps === 'object' && !Array.isArray(deps))
    problems.add(rangeProblems(file, loaded, deps as Record<string, unknown>));
  const value = problems.items.length === 0 ? (loaded.value as Override) : undefined;
  return { ...base, value, problems: problems.sorted() };
}
