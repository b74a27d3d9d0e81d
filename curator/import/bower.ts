/**
 * `granary import bower FILE`: the legacy Bower list of PureScript packages (`{"purescript-<name>": "<git
 * URL>"}`) becomes definitions: each package's SemVer tags, each version's `bower.json` at its tag
 * (license, description, dependencies). The list and the repositories are untrusted input: a package or
 * version Granary cannot represent is reported and skipped, never guessed; a source that cannot be
 * reached is reported as temporary, and running the import again takes it up (packages already in the
 * registry are left as they are), so an import of 1,400 repositories resumes where it stopped.
 */
import { readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { GranaryError, InputError, UsageError } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import { isGitHubLogin, nameError } from '../../core/names.js';
import { normalizeRange, rangeError } from '../../core/ranges.js';
import { versionError } from '../../core/versions.js';
import type { PackageDefinition } from '../../schema/types.js';
import { fetchSource, listSourceTags } from '../source/fetch-source.js';
import { locationFromRemote } from '../submit/definition.js';
import { checkedDefinition, writeDefinitions, type ConvertedDefinition } from './write-definitions.js';

/** The Bower list to import and the registry working tree it is written into. */
export interface BowerImportOptions {
  /** The Bower list (JSON object: package name → git URL). */
  file: string;
  /** The registry working tree written into (never committed). */
  out: string;
  registry: RegistryConfig;
  /** Read everything, write nothing. */
  dryRun: boolean;
  /** Owner for packages whose source is not on GitHub. */
  owner?: string;
  /** Repositories read at once (default 4). */
  jobs?: number;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** One line per package as it finishes. */
  progress?: (line: string) => void;
}

/** What became of one package of the Bower list. */
export interface BowerPackageReport {
  /** The key in the Bower list, e.g. `purescript-prelude`. */
  bower: string;
  /** The Granary name, when the Bower name has one. */
  name?: string;
  url: string;
  /**
   * `imported`: versions written (or, in a dry run, that would be); `present`: the registry already has the
   * package (left alone); `skipped`: nothing Granary can publish (no Granary name, no SemVer tag, a missing
   * repository, a source the registry does not accept); `failed`: the source host could not be reached.
   */
  status: 'imported' | 'present' | 'skipped' | 'failed';
  versions: string[];
  skippedVersions: Array<{ version: string; reason: string }>;
  reason?: string;
  /** For `failed`: a temporary failure (the host was unreachable): run the import again. */
  temporary?: boolean;
}

/** Every package of the Bower list, and the definition files written. */
export interface BowerImportReport {
  packages: BowerPackageReport[];
  written: string[];
  dryRun: boolean;
}

const PREFIX = 'purescript-';
const TAG = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const MAX_LIST_BYTES = 16 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 256 * 1024;

/** Import every package of the list; one package's failure never stops the others. */
export async function importBower(options: BowerImportOptions): Promise<BowerImportReport> {
  const list = await readList(options.file);
  const present = await packagesIn(options.out);
  const limit = pLimit(options.jobs ?? 4);
  const written: string[] = [];
  if (!options.dryRun) await removeUnfinished(options.out);
  const reports = await Promise.all(
    Object.entries(list).map(([bower, url]) =>
      limit(async () => {
        const { definitions, ...report } = await importPackage(bower, url, present, options);
        if (!options.dryRun && definitions !== undefined && definitions.length > 0)
          written.push(...(await writePackage(options.out, report.name!, definitions)));
        options.progress?.(progressLine(report));
        return report;
      }),
    ),
  );
  return { packages: reports, written: written.sort(), dryRun: options.dryRun };
}

const UNFINISHED = '.importing-';

/**
 * A package's definitions appear together or not at all: written into a hidden folder, then renamed into
 * place. A run killed halfway leaves no partial package (its hidden folder is cleared by the next run),
 * so "the package is in the registry" always means "all of it".
 */
async function writePackage(out: string, name: string, definitions: ConvertedDefinition[]): Promise<string[]> {
  const staging = join(out, 'packages', `${UNFINISHED}${name}`);
  await rm(staging, { recursive: true, force: true });
  const result = await writeDefinitions(
    staging,
    definitions.map((d) => ({ ...d, path: d.path.slice(`packages/${name}/`.length) })),
  );
  await rename(staging, join(out, 'packages', name));
  return result.written.map((file) => `packages/${name}/${file}`);
}

async function removeUnfinished(out: string): Promise<void> {
  for (const entry of await readdir(join(out, 'packages')).catch(() => []))
    if (entry.startsWith(UNFINISHED)) await rm(join(out, 'packages', entry), { recursive: true, force: true });
}

async function readList(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read the Bower list ${file}`, { where: file, cause });
  }
  if (text.length > MAX_LIST_BYTES)
    throw new InputError(`the Bower list is larger than ${MAX_LIST_BYTES} bytes`, { where: file });
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (cause) {
    throw new InputError(`the Bower list is not JSON: ${(cause as Error).message}`, {
      where: file,
      hint: 'expected an object of package name to git URL, as bower-packages.json holds',
      cause,
    });
  }
  if (list === null || typeof list !== 'object' || Array.isArray(list))
    throw new InputError('the Bower list is not an object of package name to git URL', { where: file });
  return Object.fromEntries(Object.entries(list).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

async function packagesIn(out: string): Promise<Set<string>> {
  const names = new Set<string>();
  const packages = join(out, 'packages');
  for (const entry of await readdir(packages, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    if (entry.name.startsWith(UNFINISHED)) continue;
    if (entry.name.startsWith('@')) {
      for (const inner of await readdir(join(packages, entry.name)).catch(() => []))
        names.add(`${entry.name}/${inner}`);
    } else names.add(entry.name);
  }
  return names;
}

type Working = BowerPackageReport & { definitions?: ConvertedDefinition[] };

async function importPackage(
  bower: string,
  url: string,
  present: Set<string>,
  options: BowerImportOptions,
): Promise<Working> {
  const base = { bower, url, versions: [], skippedVersions: [] };
  const name = bower.startsWith(PREFIX) ? bower.slice(PREFIX.length) : bower;
  const badName = nameError(name);
  if (badName)
    return { ...base, status: 'skipped', reason: `${JSON.stringify(name)} is not a Granary package name: ${badName}` };
  if (present.has(name)) return { ...base, name, status: 'present', reason: 'already in the registry: left as it is' };
  let location: PackageDefinition['location'];
  try {
    location = locationFromRemote(url);
  } catch (error) {
    return { ...base, name, status: 'skipped', reason: (error as Error).message };
  }
  const owner = 'github' in location ? location.github.split('/')[0]! : options.owner;
  if (owner === undefined || !isGitHubLogin(owner))
    return { ...base, name, status: 'skipped', reason: 'the source is not on GitHub and no --owner was given' };
  const who = `${name} (${url})`;
  const context = { registry: options.registry, cwd: options.cwd, ...(options.env ? { env: options.env } : {}) };
  let tags: string[];
  try {
    tags = await listSourceTags(location, { ...context, who });
  } catch (error) {
    return failed(base, name, error);
  }
  const versions = tags
    .map((tag) => ({ tag, version: TAG.exec(tag)?.[1] }))
    .filter(
      (t): t is { tag: string; version: string } => t.version !== undefined && versionError(t.version) === undefined,
    );
  if (versions.length === 0)
    return { ...base, name, status: 'skipped', reason: 'the repository has no SemVer tag (v1.2.3)' };
  const report: Working = { ...base, name, status: 'imported', versions: [], skippedVersions: [], definitions: [] };
  const seen = new Set<string>();
  for (const { tag, version } of versions) {
    // `v1.0.0` and `1.0.0` both: the first listed wins, the other is reported.
    if (seen.has(version)) {
      report.skippedVersions.push({ version, reason: `tag ${tag} names a version another tag already names` });
      continue;
    }
    seen.add(version);
    const definition: PackageDefinition = { name, version, license: '', location, ref: tag, owners: [owner] };
    let manifest: BowerManifest;
    try {
      manifest = await bowerJsonAt(definition, context);
    } catch (error) {
      if (error instanceof GranaryError && error.temporary) return failed(base, name, error);
      report.skippedVersions.push({ version, reason: (error as Error).message });
      continue;
    }
    const converted = fromManifest(definition, manifest);
    const checked = typeof converted === 'string' ? converted : checkedDefinition(converted, options.registry);
    if (typeof checked === 'string') report.skippedVersions.push({ version, reason: checked });
    else {
      report.versions.push(version);
      report.definitions!.push(checked);
    }
  }
  if (report.versions.length === 0) return { ...report, status: 'skipped', reason: 'no version could be imported' };
  return report;
}

function failed(base: Omit<BowerPackageReport, 'status'>, name: string, error: unknown): Working {
  const temporary = error instanceof GranaryError && error.temporary;
  const message = error instanceof Error ? error.message : String(error);
  // Unreachable is worth a retry; a missing repository or a refused source is the list's to fix.
  return temporary
    ? { ...base, name, status: 'failed', reason: `${message}: run the import again later`, temporary }
    : { ...base, name, status: 'skipped', reason: message };
}

interface BowerManifest {
  license?: unknown;
  description?: unknown;
  dependencies?: unknown;
}

/** `bower.json` at the version's tag: fetched with the packer's own source fetch (its limits and checks). */
async function bowerJsonAt(
  definition: PackageDefinition,
  context: { registry: RegistryConfig; cwd: string; env?: NodeJS.ProcessEnv },
): Promise<BowerManifest> {
  const source = await fetchSource(definition, context);
  try {
    const entry = source.entries.find((e) => e.path === 'bower.json' && e.kind === 'file');
    if (entry === undefined) throw new InputError(`no bower.json at ${definition.ref}`);
    if (entry.size > MAX_MANIFEST_BYTES) throw new InputError(`bower.json at ${definition.ref} is larger than 256 KiB`);
    for await (const blob of source.readBlobs([entry.id])) {
      try {
        const parsed = JSON.parse(blob.data.toString('utf8')) as unknown;
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as BowerManifest;
      } catch {
        // reported below
      }
    }
    throw new InputError(`bower.json at ${definition.ref} is not a JSON object`);
  } finally {
    await source.dispose();
  }
}

/** The definition a version's bower.json describes; a string says why there is none. */
function fromManifest(definition: PackageDefinition, manifest: BowerManifest): PackageDefinition | string {
  const license = Array.isArray(manifest.license)
    ? manifest.license.filter((l): l is string => typeof l === 'string').join(' OR ')
    : typeof manifest.license === 'string'
      ? manifest.license
      : '';
  if (license === '') return 'bower.json names no license';
  const out: PackageDefinition = { ...definition, license };
  if (typeof manifest.description === 'string' && manifest.description.trim() !== '')
    out.description =
      manifest.description.length > 300 ? `${manifest.description.slice(0, 299)}…` : manifest.description;
  const dependencies: Record<string, string> = {};
  const raw = manifest.dependencies;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw)))
    return 'bower.json dependencies is not an object';
  for (const [bower, range] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const name = bower.startsWith(PREFIX) ? bower.slice(PREFIX.length) : bower;
    if (nameError(name)) return `dependency ${JSON.stringify(bower)} has no Granary name`;
    const normal = normalizeRange(range);
    if (normal === undefined)
      return `dependency ${bower} has ${JSON.stringify(range)}, not a SemVer range (a git URL or a branch cannot be resolved): ${rangeError(range)}`;
    dependencies[name] = normal;
  }
  if (Object.keys(dependencies).length > 0) out.dependencies = dependencies;
  return out;
}

function progressLine(r: BowerPackageReport): string {
  const what =
    r.status === 'imported'
      ? `${r.versions.length} version(s)${r.skippedVersions.length > 0 ? `, ${r.skippedVersions.length} skipped` : ''}`
      : (r.reason ?? '');
  return `${r.status} ${r.name ?? r.bower}: ${what}`;
}
