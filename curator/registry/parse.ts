/**
 * The one reader of the registry's files: bytes (or text) and a repository path in; the typed definition,
 * override or registry settings, or problems at file:line:col, out. Pure: fetching the bytes (a git tree,
 * the GitHub API, the disk) is the caller's part (./read.ts for trees). Every rule the PR gate applies to a
 * single file is applied here, so the gate, curate, `granary pack`, submit and import never disagree.
 */
import { InputError, type Problem } from '../../core/errors.js';
import { registryConfigFrom, type RegistryConfig } from '../../core/registry-config.js';
import { loadYaml, type LoadedYaml } from '../../core/yaml.js';
import type { Override, PackageDefinition, RegistryFile } from '../../schema/types.js';
import { schemas, validateOverride, validatePackageDefinition, validateRegistryFile } from '../../schema/validators.js';
import { sourceError } from '../source/source-url.js';
import { classifyPath, definitionPath, displayPath, overridePath, REGISTRY_YAML, type PathInfo } from './layout.js';
import { licenseError } from './license-rule.js';
import { pathProblems } from './path-rule.js';
import { ProblemList, START } from './problem-list.js';
import { rangeProblems } from './range-rule.js';
import { schemaProblems } from './schema-rule.js';

export interface ParsedFile<T> {
  /** The repository-relative path given. */
  path: string;
  /** The path as printed in problems. */
  file: string;
  /** Name and version from the path ('' when the path is not where such a file belongs). */
  name: string;
  version: string;
  loaded: LoadedYaml | undefined;
  text: string | undefined;
  /** The value, when it passed the schema (other problems may remain: see `problems`). */
  value: T | undefined;
  problems: Problem[];
}

export type ParsedDefinition = ParsedFile<PackageDefinition>;
export type ParsedOverride = ParsedFile<Override>;

/** What the reader needs of registry.yaml. */
export interface ReaderSettings {
  limits: Pick<RegistryConfig['limits'], 'maxDefinitionBytes'>;
  /** The allowed sources; without them the source rule is left to the gate (`granary submit` does not know them). */
  sources?: RegistryConfig['sources'];
}

/** registry.yaml read: its settings, whether the file exists, and its problems. */
export interface RegistrySettings {
  config: RegistryConfig;
  present: boolean;
  problems: Problem[];
}

/** registry.yaml may be larger than a definition (trustees, scopes, reserved names). */
export const MAX_REGISTRY_YAML_BYTES = 256 * 1024;
/** How a too-large registry.yaml names its limit. */
export const REGISTRY_YAML_LIMIT = 'the fixed limit of registry.yaml';

const DEFINITION_KEYS = Object.keys(schemas.package.properties);
const OVERRIDE_KEYS = Object.keys(schemas.override.properties);
const REGISTRY_KEYS = Object.keys(schemas.registry.properties);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decode bytes as UTF-8 (a leading BOM dropped); undefined when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The `file-too-large` problem, for readers that know a file's size before reading it; `limit` names the setting. */
export function tooLargeProblem(
  file: string,
  size: number,
  maxBytes: number,
  limit = 'limits.maxDefinitionBytes',
): Problem {
  return {
    file,
    ...START,
    severity: 'error',
    rule: 'file-too-large',
    message: `the file is ${size} bytes; registry files are at most ${maxBytes} bytes (${limit})`,
  };
}

interface YamlFile {
  loaded: LoadedYaml | undefined;
  text: string | undefined;
  problems: Problem[];
}

/** Size, encoding and YAML: every failure becomes a problem of rule `file-too-large`, `encoding` or `yaml`. */
function parseYamlFile(input: string | Uint8Array, file: string, maxBytes: number, limit?: string): YamlFile {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes)
    return { loaded: undefined, text: undefined, problems: [tooLargeProblem(file, size, maxBytes, limit)] };
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  const problems = new ProblemList();
  if (text === undefined) {
    problems.error(file, START, 'encoding', 'the file is not valid UTF-8 text');
    return { loaded: undefined, text: undefined, problems: problems.items };
  }
  const loaded = loadYaml(text, maxBytes);
  for (const issue of loaded.issues) problems.error(file, issue, 'yaml', issue.message);
  return { loaded, text, problems: problems.items };
}

/** Where the path puts the file, or the problem when it is not where a file of `kind` belongs. */
function placeOf(
  file: string,
  info: PathInfo,
  kind: 'definition' | 'override',
): { name: string; version: string; problems: Problem[] } {
  if (info.kind === kind) return { name: info.name, version: info.version, problems: [] };
  const problems = new ProblemList();
  if (info.kind === 'misplaced') problems.error(file, START, info.rule, info.message);
  else {
    const at = kind === 'definition' ? definitionPath('<name>', '<version>') : overridePath('<name>', '<version>');
    problems.error(file, START, 'file-layout', `a${kind === 'override' ? 'n' : ''} ${kind} belongs at ${at}`);
  }
  return { name: '', version: '', problems: problems.items };
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A definition at `path` checked on its own: size, encoding, YAML, schema, path agreement, ranges, license and source. */
export function parseDefinition(input: string | Uint8Array, path: string, settings: ReaderSettings): ParsedDefinition {
  const file = displayPath(path);
  const place = placeOf(file, classifyPath(path), 'definition');
  const read = parseYamlFile(input, file, settings.limits.maxDefinitionBytes);
  const base = { path, file, name: place.name, version: place.version, loaded: read.loaded, text: read.text };
  if (!read.loaded || read.problems.length > 0)
    return { ...base, value: undefined, problems: [...place.problems, ...read.problems] };
  const loaded = read.loaded;
  const problems = new ProblemList();
  problems.add(place.problems);
  const schema = schemaProblems(file, loaded, validatePackageDefinition, DEFINITION_KEYS);
  problems.add(schema);
  const raw = asRecord(loaded.value);
  if (place.problems.length === 0) problems.add(pathProblems(file, loaded, place, raw));
  problems.add(rangeProblems(file, loaded, asRecord(raw.dependencies)));
  if (typeof raw.license === 'string') {
    const error = licenseError(raw.license);
    if (error) problems.error(file, loaded.locate(['license']), 'license', error);
  }
  const value = schema.length === 0 ? (loaded.value as PackageDefinition) : undefined;
  if (value && settings.sources) {
    const source = sourceError(value.location, { sources: settings.sources });
    if (source) problems.error(file, loaded.locate(['location', source.key]), source.rule, source.message);
  }
  return { ...base, value, problems: problems.sorted() };
}

/** An override at `path` checked on its own: size, encoding, YAML, schema and ranges; `value` only when all pass. */
export function parseOverride(input: string | Uint8Array, path: string, settings: ReaderSettings): ParsedOverride {
  const file = displayPath(path);
  const place = placeOf(file, classifyPath(path), 'override');
  const read = parseYamlFile(input, file, settings.limits.maxDefinitionBytes);
  const base = { path, file, name: place.name, version: place.version, loaded: read.loaded, text: read.text };
  if (!read.loaded || read.problems.length > 0)
    return { ...base, value: undefined, problems: [...place.problems, ...read.problems] };
  const loaded = read.loaded;
  const problems = new ProblemList();
  problems.add(place.problems);
  problems.add(schemaProblems(file, loaded, validateOverride, OVERRIDE_KEYS));
  problems.add(rangeProblems(file, loaded, asRecord(asRecord(loaded.value).dependencies)));
  const value = problems.items.length === 0 ? (loaded.value as Override) : undefined;
  return { ...base, value, problems: problems.sorted() };
}

/** The settings used when a tree has no usable registry.yaml. */
export function defaultConfig(): RegistryConfig {
  return registryConfigFrom({ name: 'registry' });
}

/** registry.yaml checked: size, encoding, YAML and schema; the defaults (and the problems) when it is broken. */
export function parseRegistrySettings(input: string | Uint8Array, file = REGISTRY_YAML): RegistrySettings {
  const read = parseYamlFile(input, file, MAX_REGISTRY_YAML_BYTES, REGISTRY_YAML_LIMIT);
  if (!read.loaded || read.problems.length > 0)
    return { config: defaultConfig(), present: true, problems: read.problems };
  const problems = schemaProblems(file, read.loaded, validateRegistryFile, REGISTRY_KEYS);
  if (problems.length > 0) return { config: defaultConfig(), present: true, problems };
  return { config: registryConfigFrom(read.loaded.value as RegistryFile), present: true, problems: [] };
}

/** The settings of a registry.yaml without errors; otherwise the InputError of validValue. */
export function validSettings(settings: RegistrySettings): RegistryConfig {
  return validValue({ value: settings.config, problems: settings.problems });
}

/**
 * The value of a file without errors; otherwise an InputError naming the first error at file:line:col with
 * its rule (and how many more there are), for callers that act on one file rather than report on many.
 */
export function validValue<T>(parsed: Pick<ParsedFile<T>, 'value' | 'problems'>): T {
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  if (first === undefined && parsed.value !== undefined) return parsed.value;
  if (first === undefined) throw new Error('a parsed file without a value must have a problem');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  throw new InputError(`${first.message} [${first.rule}]${more}`, {
    where: `${first.file}:${first.line}:${first.col}`,
    hint: 'run `granary validate` to see every problem, then fix the file',
  });
}
