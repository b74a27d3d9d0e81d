/** The definition `granary submit` proposes: from the tag, the origin remote, the author's manifest and flags (flags win). */
import { stringify } from 'yaml';
import { InputError, UsageError } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { normalizeRange } from '../../core/ranges.js';
import { DEFAULT_LIMITS } from '../../core/registry-config.js';
import { versionError } from '../../core/versions.js';
import { loadYaml } from '../../core/yaml.js';
import { schemas } from '../../schema/validators.js';
import type { Location, PackageDefinition } from '../../schema/types.js';
import { definitionPath } from '../registry/layout.js';
import { parseDefinition } from '../registry/parse.js';
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

/** `https://github.com/o/r(.git)`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r` → `{ github: 'o/r' }`; other URLs as `git:` without credentials. */
export function locationFromRemote(url: string | undefined): Location {
  if (!url)
    throw new UsageError('the repository has no origin remote: the registry needs to know where the source lives', {
      hint: 'add one with `git remote add origin https://github.com/OWNER/REPO.git`',
    });
  const gh =
    /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  if (gh) return { github: `${gh[1]}/${gh[2]}` };
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UsageError(`origin ${JSON.stringify(url.slice(0, 80))} is not a URL the registry can fetch`, {
      hint: 'use an https:// remote, e.g. https://example.org/owner/repo.git',
    });
  }
  parsed.username = '';
  parsed.password = '';
  return { git: parsed.toString() };
}

interface ManifestFields {
  name?: unknown;
  description?: unknown;
  license?: unknown;
  dependencies?: unknown;
  keywords?: unknown;
  homepage?: unknown;
  owners?: unknown;
  files?: unknown;
}

function manifestFields(manifest: SourceFacts['manifest']): ManifestFields {
  if (!manifest) return {};
  let value: unknown;
  if (manifest.file === 'package.json') {
    try {
      value = JSON.parse(manifest.text);
    } catch (cause) {
      throw new InputError(`package.json at the tag is not valid JSON: ${(cause as Error).message}`, {
        where: 'package.json',
        cause,
      });
    }
  } else {
    const loaded = loadYaml(manifest.text);
    const issue = loaded.issues[0];
    if (issue) throw new InputError(issue.message, { where: `granary.yaml:${issue.line}:${issue.col}` });
    value = loaded.value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${manifest.file} must be a mapping`, { where: manifest.file });
  return value as ManifestFields;
}

function parseDependency(entry: string): [string, string] {
  const at = entry.lastIndexOf('@');
  if (at <= 0)
    throw new UsageError(`--dependency ${JSON.stringify(entry.slice(0, 80))} must be NAME@RANGE`, {
      hint: 'e.g. --dependency left-pad@^1.0.0',
    });
  return [entry.slice(0, at), entry.slice(at + 1)];
}

/** Build the definition and check it as the gate will; throws InputError naming the rule at fault. */
export function buildDefinition(facts: SourceFacts, flags: DefinitionFlags): PackageDefinition {
  const m = manifestFields(facts.manifest);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const name = flags.name ?? str(m.name);
  if (!name)
    throw new UsageError('the package has no name: pass --name, or set name in granary.yaml', {
      hint: 'e.g. --name left-pad',
    });
  const problem = nameError(name);
  if (problem)
    throw new UsageError(`${JSON.stringify(name.slice(0, 80))} is not a package name: ${problem}`, {
      hint: 'pass --name with a valid name',
    });
  const license = flags.license ?? str(m.license);
  if (!license)
    throw new UsageError('the package has no license: pass --license, or set license in the manifest', {
      hint: 'an SPDX expression, e.g. --license MIT',
    });

  const def: PackageDefinition = {
    name,
    version: versionFromTag(facts.tag),
    license,
    location: locationFromRemote(facts.originUrl),
    ref: facts.tag,
    commit: facts.commit,
  };
  const description = flags.description ?? str(m.description);
  if (description !== undefined) def.description = description;
  const deps = flags.dependencies?.length
    ? Object.fromEntries(flags.dependencies.map(parseDependency))
    : (m.dependencies as Record<string, string> | undefined);
  // Ranges in normal form where they have one (`>= 1.0.0` → `>=1.0.0`); the check below refuses the others, saying why.
  if (deps !== undefined && Object.keys(deps).length > 0)
    def.dependencies =
      typeof deps === 'object' && !Array.isArray(deps)
        ? Object.fromEntries(Object.entries(deps).map(([n, r]) => [n, normalizeRange(r) ?? r]))
        : deps;
  if (Array.isArray(m.keywords) && m.keywords.length > 0) def.keywords = m.keywords as string[];
  if (str(m.homepage)) def.homepage = m.homepage as string;
  const owners = flags.owners?.length ? flags.owners : (m.owners as string[] | undefined);
  if (owners !== undefined && owners.length > 0) def.owners = owners;
  if (m.files !== undefined && facts.manifest?.file === 'granary.yaml')
    def.files = m.files as PackageDefinition['files'];

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
  return def;
}

// The schema's key order, which the definition reference lists too.
const KEY_ORDER = Object.keys(schemas.package.properties) as Array<keyof PackageDefinition>;

/** A definition file's text, as `granary submit` and `granary import` write it: keys in the schema's order. */
export function definitionYaml(def: PackageDefinition): string {
  const ordered: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (def[key] !== undefined) ordered[key] = def[key];
  return stringify(ordered, { lineWidth: 0 });
}
