/**
 * A PureScript registry snapshot (its `index/` and `metadata/` folders) converted into Granary
 * definitions. The snapshot is read as untrusted input: anything Granary cannot represent is
 * reported and skipped, never guessed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { isGitHubLogin, nameError } from '../../core/names.js';
import { normalizeRange } from '../../core/ranges.js';
import { versionError } from '../../core/versions.js';
import type { PackageDefinition } from '../../schema/types.js';
import type { ReaderSettings } from '../registry/parse.js';
import { checkedDefinition, type ConvertedDefinition, type Skipped } from './write-definitions.js';

export interface PurescriptSnapshot {
  /** Every line of every index file, parsed. */
  manifests: unknown[];
  /** Package name → metadata/<name>.json. */
  metadata: Map<string, unknown>;
  /** Lines that were not JSON, as `file:line`. */
  unreadable: string[];
}

export interface ConvertOptions {
  /** Owner to use when the metadata names none that is a GitHub login and the source is not on GitHub. */
  fallbackOwner?: string;
  /** registry.yaml of the registry written into (its limits and allowed sources); default: the default limits. */
  registry?: ReaderSettings;
}

export type { Skipped } from './write-definitions.js';

export type { ConvertedDefinition } from './write-definitions.js';

export interface Conversion {
  definitions: ConvertedDefinition[];
  skipped: Skipped[];
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Read `dir/index` and `dir/metadata` of a PureScript registry snapshot. */
export async function readPurescriptSnapshot(dir: string): Promise<PurescriptSnapshot> {
  const indexDir = join(dir, 'index');
  const metadataDir = join(dir, 'metadata');
  if (!(await stat(indexDir).catch(() => undefined))?.isDirectory()) {
    throw new InputError(`${indexDir} is not a folder`, {
      where: dir,
      hint: 'pass the folder holding the snapshot’s index/ and metadata/',
    });
  }
  const manifests: unknown[] = [];
  const unreadable: string[] = [];
  for (const file of (await filesUnder(indexDir)).sort()) {
    if ((await stat(file)).size > MAX_FILE_BYTES) {
      unreadable.push(`${file}: larger than ${MAX_FILE_BYTES} bytes`);
      continue;
    }
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        manifests.push(JSON.parse(line));
      } catch {
        unreadable.push(`${file}:${i + 1}`);
      }
    });
  }
  const metadata = new Map<string, unknown>();
  if ((await stat(metadataDir).catch(() => undefined))?.isDirectory()) {
    for (const entry of await readdir(metadataDir)) {
      if (!entry.endsWith('.json')) continue;
      try {
        metadata.set(entry.slice(0, -'.json'.length), JSON.parse(await readFile(join(metadataDir, entry), 'utf8')));
      } catch {
        unreadable.push(join(metadataDir, entry));
      }
    }
  }
  return { manifests, metadata, unreadable };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function ownersFor(
  metadata: unknown,
  location: PackageDefinition['location'],
  options: ConvertOptions,
): string[] | undefined {
  // PureScript records owners as SSH keys; only an `id` that is a GitHub login says who owns the package.
  const declared = isRecord(metadata) && Array.isArray(metadata.owners) ? metadata.owners : [];
  const logins = declared
    .map((o) => (isRecord(o) ? str(o.id) : undefined))
    .filter((id): id is string => id !== undefined && isGitHubLogin(id));
  if (logins.length > 0) return [...new Set(logins)];
  if ('github' in location) {
    const owner = location.github.split('/')[0]!;
    if (isGitHubLogin(owner)) return [owner];
  }
  return options.fallbackOwner ? [options.fallbackOwner] : undefined;
}

function unpublishedVersions(metadata: unknown): Set<string> {
  if (!isRecord(metadata) || !isRecord(metadata.unpublished)) return new Set();
  return new Set(Object.keys(metadata.unpublished));
}

function locationOf(raw: unknown): PackageDefinition['location'] | string {
  if (!isRecord(raw)) return 'no location';
  const subdir = str(raw.subdir);
  const extra = subdir ? { subdir } : {};
  const owner = str(raw.githubOwner);
  const repo = str(raw.githubRepo);
  if (owner && repo) return { github: `${owner}/${repo}`, ...extra };
  const url = str(raw.gitUrl);
  if (url) return { git: url, ...extra };
  return 'location is neither a GitHub repository nor a git URL';
}

/** Convert one manifest line; a string says why it was skipped. */
function convertManifest(
  manifest: Record<string, unknown>,
  metadata: unknown,
  options: ConvertOptions,
): ConvertedDefinition | string {
  const name = str(manifest.name) ?? '';
  const version = str(manifest.version) ?? '';
  const badName = nameError(name);
  if (badName) return `not a Granary package name: ${badName}`;
  const badVersion = versionError(version);
  if (badVersion) return badVersion;
  if (unpublishedVersions(metadata).has(version)) return 'unpublished';
  const location = locationOf(manifest.location);
  if (typeof location === 'string') return location;
  const license = str(manifest.license) ?? '';
  const owners = ownersFor(metadata, location, options);
  if (!owners) return 'no owner: the metadata names no GitHub login and the source is not on GitHub (pass --owner)';
  const definition: PackageDefinition = { name, version, license, location, ref: str(manifest.ref) ?? '' };
  const description = str(manifest.description);
  if (description) definition.description = description.length > 300 ? `${description.slice(0, 299)}…` : description;
  if (isRecord(manifest.dependencies) && Object.keys(manifest.dependencies).length > 0) {
    // Written in normal form where the source's range has one; a range without one is refused below, with the reason.
    definition.dependencies = Object.fromEntries(
      Object.entries(manifest.dependencies).map(([k, v]) => [k, normalizeRange(String(v)) ?? String(v)]),
    );
  }
  definition.owners = owners;
  // PureScript's includeFiles add to what it always packs (PURESCRIPT_FILES, the registry's default here).
  const add = patternsOf(manifest.includeFiles);
  const exclude = patternsOf(manifest.excludeFiles);
  if (add.length > 0 || exclude.length > 0) {
    definition.files = { ...(add.length > 0 ? { add } : {}), ...(exclude.length > 0 ? { exclude } : {}) };
  }
  return checkedDefinition(definition, options.registry);
}

/**
 * What the PureScript registry packs in every tarball whatever the manifest says, as registry.yaml `files`:
 * `src/`, the manifests, and README/LICENSE/LICENCE in any case (its `includedGlobs` and
 * `includedInsensitiveGlobs`); it leaves out editor and tool folders and lock files (`ignored*`; the version
 * control folders and node_modules Granary never packs anyway).
 */
export const PURESCRIPT_FILES = {
  include: [
    'src',
    'purs.json',
    'spago.dhall',
    'packages.dhall',
    'bower.json',
    'package.json',
    'spago.yaml',
    '[Rr][Ee][Aa][Dd][Mm][Ee]*',
    '[Ll][Ii][Cc][Ee][Nn][Ss][Ee]*',
    '[Ll][Ii][Cc][Ee][Nn][Cc][Ee]*',
  ],
  exclude: [
    '.psci',
    '.psci_modules',
    '.spago',
    'bower_components',
    'package-lock.json',
    'yarn.lock',
    'pnpm-lock.yaml',
    '**/*.*.swp',
    '**/._*',
  ],
};

/**
 * A manifest's globs. PureScript matches each string as one pattern, so the real `"src/(…).purs src/(…).js"`
 * matches nothing there; what its author meant is two patterns, and a path with a space is vanishingly rare in
 * a package: a string holding whitespace is split at it.
 */
function patternsOf(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((g): g is string => typeof g === 'string').flatMap((g) => g.split(/\s+/).filter(Boolean));
}

/** Convert a snapshot; invalid manifests are listed in `skipped`. */
export function convertPurescript(snapshot: PurescriptSnapshot, options: ConvertOptions = {}): Conversion {
  const definitions: ConvertedDefinition[] = [];
  const skipped: Skipped[] = snapshot.unreadable.map((where) => ({ name: where, reason: 'not valid JSON' }));
  const seen = new Set<string>();
  for (const manifest of snapshot.manifests) {
    if (!isRecord(manifest)) {
      skipped.push({ name: '?', reason: 'an index line that is not a JSON object' });
      continue;
    }
    const name = str(manifest.name) ?? '?';
    const version = str(manifest.version);
    const converted = convertManifest(manifest, snapshot.metadata.get(name), options);
    if (typeof converted === 'string') {
      skipped.push({ name, ...(version !== undefined ? { version } : {}), reason: converted });
      continue;
    }
    if (seen.has(converted.path)) {
      skipped.push({ name, version: converted.definition.version, reason: 'listed twice in the index' });
      continue;
    }
    seen.add(converted.path);
    definitions.push(converted);
  }
  definitions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { definitions, skipped };
}
