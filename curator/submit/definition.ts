/** The definition `granary submit` proposes: flags, else the author's manifest, else the previous version, else the tag and remote. */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { InputError, UsageError } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { normalizeRange } from '../../core/ranges.js';
import { DEFAULT_LIMITS } from '../../core/registry-config.js';
import { versionError } from '../../core/versions.js';
import { schemas } from '../../schema/validators.js';
import type { Location, PackageDefinition } from '../../schema/types.js';
import { definitionPath } from '../registry/layout.js';
import { parseDefinition } from '../registry/parse.js';
import type { ManifestFields } from './manifest.js';
import type { SourceFacts } from './source-facts.js';

export interface DefinitionFlags {
  name?: string;
  description?: string;
  license?: string;
  /** `NAME@RANGE` entries. */
  dependencies?: string[];
  owners?: string[];
}

/** `v1.2.3`, `1.2.3`, `name-v1.2.3`, `name@1.2.3` → `1.2.3`. */
export function versionFromTag(tag: string): string {
  const m = /(?:^|[@/-])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(tag);
  const version = m?.[1];
  if (!version || versionError(version)) {
    throw new UsageError(`cannot read a version from the tag ${JSON.stringify(tag.slice(0, 80))}`, {
      hint: 'tag releases as v1.2.3 (SemVer, no build metadata)',
    });
  }
  return version;
}

/**
 * `https://github.com/o/r(.git)`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r` → `{ github: 'o/r' }`; other
 * URLs as `git:` without credentials; with `dir`, a local path (absolute, or relative to `dir`) as a `file:` URL.
 */
export function locationFromRemote(url: string | undefined, dir?: string): Location {
  if (!url)
    throw new UsageError('the repository has no remote: the registry needs to know where the source lives', {
      hint: 'add one with `git remote add origin https://github.com/OWNER/REPO.git`, or pass --dry-run to see the definition',
    });
  const gh =
    /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  if (gh) return { github: `${gh[1]}/${gh[2]}` };
  if (dir !== undefined && (isAbsolute(url) || url.startsWith('./') || url.startsWith('../')))
    return { git: pathToFileURL(resolve(dir, url)).href };
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UsageError(`the remote ${JSON.stringify(url.slice(0, 80))} is not a URL the registry can fetch`, {
      hint: 'use an https:// remote, e.g. https://example.org/owner/repo.git',
    });
  }
  parsed.username = '';
  parsed.password = '';
  return { git: parsed.toString() };
}

function parseDependency(entry: string): [string, string] {
  const at = entry.lastIndexOf('@');
  if (at <= 0)
    throw new UsageError(`--dependency ${JSON.stringify(entry.slice(0, 80))} must be NAME@RANGE`, {
      hint: 'e.g. --dependency left-pad@^1.0.0',
    });
  return [entry.slice(0, at), entry.slice(at + 1)];
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The package's name: `--name`, else the manifest's; a UsageError when there is none or it is not a name. */
export function packageName(flags: DefinitionFlags, manifest: ManifestFields): string {
  const name = flags.name ?? str(manifest.name);
  if (!name)
    throw new UsageError('the package has no name: pass --name, or set name in granary.yaml', {
      hint: 'e.g. --name left-pad',
    });
  const problem = nameError(name);
  if (problem)
    throw new UsageError(`${JSON.stringify(name.slice(0, 80))} is not a package name: ${problem}`, {
      hint: 'pass --name with a valid name',
    });
  return name;
}

/** The highest version the registry already has: where a new version's defaults come from. */
export interface PreviousVersion {
  version: string;
  definition: PackageDefinition;
}

/** The fields a new version takes from the previous one unless the manifest or a flag gives them. */
export const CARRIED_FIELDS = [
  'description',
  'license',
  'location',
  'owners',
  'files',
  'keywords',
  'homepage',
] as const;
export type CarriedField = (typeof CARRIED_FIELDS)[number];

export interface DefinitionInput {
  facts: SourceFacts;
  manifest: ManifestFields;
  flags: DefinitionFlags;
  previous?: PreviousVersion | undefined;
  /** Without any remote, point `location` at the repository itself (a dry run) instead of failing. */
  localLocation?: boolean;
}

export interface BuiltDefinition {
  definition: PackageDefinition;
  /** The fields taken from `previous`, in CARRIED_FIELDS order. */
  carriedOver: CarriedField[];
  warnings: string[];
}

/**
 * Build the definition and check it as the gate will; throws InputError naming the rule at fault.
 * Each field: flags, else the manifest, else the previous version, else what the tag and remote say.
 */
export function buildDefinition(input: DefinitionInput): BuiltDefinition {
  const { facts, manifest: m, flags, previous } = input;
  const name = packageName(flags, m);
  const own: Partial<Pick<PackageDefinition, CarriedField>> = {};
  const description = flags.description ?? str(m.description);
  if (description !== undefined) own.description = description;
  const license = flags.license ?? str(m.license);
  if (license !== undefined) own.license = license;
  const owners = flags.owners?.length ? flags.owners : (m.owners as string[] | undefined);
  if (owners !== undefined && owners.length > 0) own.owners = owners;
  if (m.files !== undefined) own.files = m.files as PackageDefinition['files'];
  if (Array.isArray(m.keywords) && m.keywords.length > 0) own.keywords = m.keywords as string[];
  if (str(m.homepage)) own.homepage = m.homepage as string;

  const carriedOver: CarriedField[] = [];
  const fields: Partial<Pick<PackageDefinition, CarriedField>> = { ...own };
  for (const key of CARRIED_FIELDS) {
    const earlier = previous?.definition[key];
    if (own[key] !== undefined || earlier === undefined) continue;
    Object.assign(fields, { [key]: earlier });
    carriedOver.push(key);
  }
  if (fields.license === undefined)
    throw new UsageError('the package has no license: pass --license, or set license in the manifest', {
      hint: 'an SPDX expression, e.g. --license MIT',
    });
  const warnings: string[] = [];
  const location = fields.location ?? sourceLocation(facts, input.localLocation === true, warnings);
  if (previous && fields.location) warnings.push(...movedWarning(facts, previous));

  const def: PackageDefinition = {
    name,
    version: versionFromTag(facts.tag),
    license: fields.license,
    location,
    ref: facts.tag,
    commit: facts.commit,
  };
  if (fields.description !== undefined) def.description = fields.description;
  const deps = flags.dependencies?.length
    ? Object.fromEntries(flags.dependencies.map(parseDependency))
    : (m.dependencies as Record<string, string> | undefined);
  // Ranges in normal form where they have one (`>= 1.0.0` → `>=1.0.0`); the check below refuses the others, saying why.
  if (deps !== undefined && Object.keys(deps).length > 0)
    def.dependencies =
      typeof deps === 'object' && !Array.isArray(deps)
        ? Object.fromEntries(Object.entries(deps).map(([n, r]) => [n, normalizeRange(r) ?? r]))
        : deps;
  if (fields.keywords !== undefined) def.keywords = fields.keywords;
  if (fields.homepage !== undefined) def.homepage = fields.homepage;
  if (fields.owners !== undefined) def.owners = fields.owners;
  if (fields.files !== undefined) def.files = fields.files;

  // The file as the pull request will add it, read by the gate's own reader. The registry's allowed
  // sources are not known here: the gate checks those.
  const parsed = parseDefinition(definitionYaml(def), definitionPath(def.name, def.version), {
    limits: { maxDefinitionBytes: DEFAULT_LIMITS.maxDefinitionBytes },
  });
  const refused = parsed.problems.find((p) => p.severity === 'error');
  if (refused) {
    throw new InputError(`the definition would be refused: ${refused.message} [${refused.rule}]`, {
      where: facts.manifest?.file ?? 'flags',
      hint: 'fix the manifest or override the field with a flag',
    });
  }
  return { definition: def, carriedOver, warnings };
}

/** Where a first version's source lives: the remote, else (with `local`) the repository itself, with a warning. */
function sourceLocation(facts: SourceFacts, local: boolean, warnings: string[]): Location {
  if (facts.remote) return locationFromRemote(facts.remote.url, facts.dir);
  // Refused: there is no remote to name.
  if (!local) return locationFromRemote(undefined);
  const here = pathToFileURL(facts.dir).href;
  warnings.push(
    `the repository has no remote, so location points at ${here}, which only a registry that allows file sources accepts: add the remote the registry will fetch from (\`git remote add origin https://github.com/OWNER/REPO.git\`)`,
  );
  return { git: here };
}

/** A warning when the remote no longer names where the previous version's source lives (only a trustee moves a package). */
function movedWarning(facts: SourceFacts, previous: PreviousVersion): string[] {
  if (!facts.remote) return [];
  let current: Location;
  try {
    current = locationFromRemote(facts.remote.url, facts.dir);
  } catch {
    return [];
  }
  const earlier = previous.definition.location;
  if (locationText(current) === locationText(earlier)) return [];
  return [
    `the remote ${facts.remote.name} is ${locationText(current)} but ${previous.version} is at ${locationText(earlier)}: the definition keeps the latter (moving a package needs a trustee)`,
  ];
}

const locationText = (location: Location) =>
  'github' in location ? `github: ${location.github}` : `git: ${location.git}`;

// The schema's key order, which the definition reference lists too.
const KEY_ORDER = Object.keys(schemas.package.properties) as Array<keyof PackageDefinition>;

/** A definition file's text, as `granary submit` and `granary import` write it: keys in the schema's order. */
export function definitionYaml(def: PackageDefinition): string {
  const ordered: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (def[key] !== undefined) ordered[key] = def[key];
  return stringify(ordered, { lineWidth: 0 });
}
