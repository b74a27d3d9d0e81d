/** The registry repository's layout: where definitions, overrides and registry.yaml live, and what any path is. */
import { nameError } from '../../core/names.js';
import { REGISTRY_FILE } from '../../core/registry-config.js';
import { versionError } from '../../core/versions.js';

/** Where package definitions live: `packages/<name>/<version>.yaml`. */
export const PACKAGES_DIR = 'packages';
/** Where trustees' overrides live: `overrides/<name>/<version>.yaml`. */
export const OVERRIDES_DIR = 'overrides';
/** The registry's settings file at the root of the repository. */
export const REGISTRY_YAML = REGISTRY_FILE;
/** The file that keeps an empty folder in git; allowed at the top of packages/ and overrides/. */
const PLACEHOLDER = '.gitkeep';

/** The placeholders a new registry commits so its empty folders exist. */
export const PLACEHOLDER_PATHS: readonly string[] = [
  `${PACKAGES_DIR}/${PLACEHOLDER}`,
  `${OVERRIDES_DIR}/${PLACEHOLDER}`,
];

/** The paths of the repository the gate and the curator act on (everything else is not the registry's). */
export const REGISTRY_PATHS: readonly string[] = [PACKAGES_DIR, OVERRIDES_DIR, REGISTRY_YAML];

export type PathInfo =
  | { kind: 'definition' | 'override'; name: string; version: string }
  | { kind: 'placeholder' }
  | { kind: 'registry' }
  | { kind: 'misplaced'; rule: 'file-layout' | 'name-syntax' | 'version-syntax'; message: string }
  | { kind: 'outside' };

/** Classify a repository-relative path (never trusts it: any string is fine). */
export function classifyPath(path: string): PathInfo {
  if (path === REGISTRY_YAML) return { kind: 'registry' };
  const segments = path.split('/');
  const root = segments[0];
  if (root !== PACKAGES_DIR && root !== OVERRIDES_DIR) return { kind: 'outside' };
  const kind = root === PACKAGES_DIR ? 'definition' : 'override';
  const example = `${root}/<name>/<version>.yaml or ${root}/@<scope>/<name>/<version>.yaml`;
  if (segments.length === 2 && segments[1] === PLACEHOLDER) return { kind: 'placeholder' };
  const scoped = segments[1]?.startsWith('@') ?? false;
  const expected = scoped ? 4 : 3;
  if (segments.length !== expected) {
    return { kind: 'misplaced', rule: 'file-layout', message: `files in ${root}/ must be at ${example}` };
  }
  const fileName = segments[expected - 1]!;
  const name = scoped ? `${segments[1]}/${segments[2]}` : segments[1]!;
  if (!fileName.endsWith('.yaml')) {
    const hint = fileName.endsWith('.yml') ? ' (use the .yaml extension)' : '';
    return { kind: 'misplaced', rule: 'file-layout', message: `files in ${root}/ must be named <version>.yaml${hint}` };
  }
  const badName = nameError(name);
  if (badName)
    return {
      kind: 'misplaced',
      rule: 'name-syntax',
      message: `the folder name ${displayPath(name)} is not a package name: ${badName}`,
    };
  const version = fileName.slice(0, -'.yaml'.length);
  const badVersion = versionError(version);
  if (badVersion)
    return {
      kind: 'misplaced',
      rule: 'version-syntax',
      message: `the file name ${displayPath(fileName)} is not <version>.yaml: ${badVersion}`,
    };
  return { kind, name, version };
}

/** The path of a definition: `packages/<name>/<version>.yaml` (a scoped name keeps its `@scope/` folder). */
export function definitionPath(name: string, version: string): string {
  return `${PACKAGES_DIR}/${name}/${version}.yaml`;
}

/** The path of an override: `overrides/<name>/<version>.yaml`. */
export function overridePath(name: string, version: string): string {
  return `${OVERRIDES_DIR}/${name}/${version}.yaml`;
}

/** A path safe to print on one line: control characters, non-ASCII and backslashes escaped, long paths cut. */
export function displayPath(path: string, max = 300): string {
  const escaped = path.replace(/[^\x20-\x7e]|\\/g, (c) =>
    c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
