/** The curator's reading of main's files: which path is what, and definitions and overrides parsed and checked. */
import { InputError } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { classifyPath as classifyLayoutPath } from '../validate/paths.js';
import { rangeError, versionError } from '../../core/versions.js';
import { loadYaml } from '../../core/yaml.js';
import type { Override, PackageDefinition } from '../../schema/types.js';
import { describeSchemaError, validateOverride, validatePackageDefinition } from '../../schema/validators.js';

export type RegistryPath =
  | { kind: 'definition' | 'override'; name: string; version: string }
  | { kind: 'registry' }
  | { kind: 'ignored' }
  | { kind: 'other'; problem: string };

/** What a changed path of main is, by the same layout rules as the PR gate; `other` carries why the curator cannot act on it. */
export function classifyPath(path: string): RegistryPath {
  const info = classifyLayoutPath(path);
  switch (info.kind) {
    case 'definition':
    case 'override':
      return { kind: info.kind, name: info.name, version: info.version };
    case 'registry':
      return info;
    case 'placeholder':
    case 'outside':
      return { kind: 'ignored' };
    case 'misplaced':
      return { kind: 'other', problem: info.message };
  }
}

export function definitionPath(name: string, version: string): string {
  return `packages/${name}/${version}.yaml`;
}

export function overridePath(name: string, version: string): string {
  return `overrides/${name}/${version}.yaml`;
}

function loadChecked(bytes: Buffer, file: string, maxBytes: number): unknown {
  if (bytes.length > maxBytes)
    throw new InputError(`the file is ${bytes.length} bytes, more than the limit of ${maxBytes}`, { where: file });
  const loaded = loadYaml(bytes.toString('utf8'), maxBytes);
  const issue = loaded.issues[0];
  if (issue) throw new InputError(issue.message, { where: `${file}:${issue.line}:${issue.col}` });
  return loaded;
}

/** A definition file checked the way the PR gate checks it (schema, path agreement, versions, ranges). */
export function parseDefinition(
  bytes: Buffer,
  file: string,
  expected: { name: string; version: string },
  maxBytes: number,
): PackageDefinition {
  const loaded = loadChecked(bytes, file, maxBytes) as ReturnType<typeof loadYaml>;
  const value = loaded.value;
  if (!validatePackageDefinition(value)) {
    const e = validatePackageDefinition.errors![0]!;
    const { line, col } = loaded.locate(e.instancePath.split('/').slice(1));
    throw new InputError(describeSchemaError(e), { where: `${file}:${line}:${col}` });
  }
  if (value.name !== expected.name || value.version !== expected.version) {
    throw new InputError(
      `the file declares ${value.name}@${value.version} but its path says ${expected.name}@${expected.version}`,
      { where: file },
    );
  }
  const problem = nameError(value.name) ?? versionError(value.version);
  if (problem) throw new InputError(problem, { where: file });
  checkRanges(value.dependencies, file);
  return value;
}

/** An override file checked against its schema and ranges. */
export function parseOverride(bytes: Buffer, file: string, maxBytes: number): Override {
  const loaded = loadChecked(bytes, file, maxBytes) as ReturnType<typeof loadYaml>;
  const value = loaded.value;
  if (!validateOverride(value)) {
    const e = validateOverride.errors![0]!;
    const { line, col } = loaded.locate(e.instancePath.split('/').slice(1));
    throw new InputError(describeSchemaError(e), { where: `${file}:${line}:${col}` });
  }
  checkRanges(value.dependencies, file);
  return value;
}

function checkRanges(dependencies: Record<string, string> | undefined, file: string): void {
  for (const [dep, range] of Object.entries(dependencies ?? {})) {
    const problem = nameError(dep) ?? rangeError(range);
    if (problem) throw new InputError(`dependency ${dep}: ${problem}`, { where: file });
  }
}

/** The reason recorded for a change made by a commit: its first meaningful message line. */
export function reasonFromMessage(message: string, commit: string): string {
  const line = message
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^Merge (pull request|branch|remote-tracking branch) /.test(l));
  const text = line ?? `changed in ${commit.slice(0, 12)}`;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
