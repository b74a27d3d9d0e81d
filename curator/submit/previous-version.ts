/** The versions a registry already has of a package, and the definition of the highest: what a new version starts from. */
import { InputError } from '../../core/errors.js';
import { sortVersions } from '../../core/versions.js';
import { classifyPath, definitionPath, PACKAGES_DIR } from '../registry/layout.js';
import { parseDefinition, validValue } from '../registry/parse.js';
import type { PreviousVersion } from './definition.js';

/** A registry's files as submit reads them: at the default branch on GitHub, at HEAD in a local clone. */
export interface RegistryFiles {
  /** Where they are read from, for messages: `owner/repo` or the clone's directory. */
  readonly label: string;
  /** The names of the files directly in the folder `dir` (empty when there is no such folder). */
  list(dir: string): Promise<string[]>;
  /** The text of the file at `path`, or undefined when there is none. */
  read(path: string): Promise<string | undefined>;
}

export interface PackageVersions {
  /** Every version of the package in the registry, ascending. */
  versions: string[];
  /** The highest of them, read; undefined for a package the registry does not have yet. */
  previous: PreviousVersion | undefined;
}

// The registry may raise limits.maxDefinitionBytes, and its registry.yaml is not read here.
const MAX_PUBLISHED_BYTES = 1024 * 1024;

/** Read which versions of `name` the registry has and the definition of the highest by SemVer. */
export async function readPackageVersions(files: RegistryFiles, name: string): Promise<PackageVersions> {
  const folder = `${PACKAGES_DIR}/${name}`;
  const found: string[] = [];
  for (const file of await files.list(folder)) {
    const info = classifyPath(`${folder}/${file}`);
    if (info.kind === 'definition' && info.name === name) found.push(info.version);
  }
  const versions = sortVersions(found);
  const highest = versions.at(-1);
  if (highest === undefined) return { versions, previous: undefined };
  const path = definitionPath(name, highest);
  const text = await files.read(path);
  if (text === undefined)
    throw new InputError(`${path} is listed in ${files.label} but is not a file`, {
      where: `${files.label}:${path}`,
      hint: 'the registry is damaged: tell its trustees',
    });
  const parsed = parseDefinition(text, path, { limits: { maxDefinitionBytes: MAX_PUBLISHED_BYTES } });
  // A published file passed the gate: later rules (a license list update, say) must not stop the next version.
  const definition = parsed.value ?? validValue(parsed);
  return { versions, previous: { version: highest, definition } };
}
