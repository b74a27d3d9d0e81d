/**
 * Convert the real PureScript registry (its manifest index + metadata) into Granary index files,
 * for benchmarks and realistic checks. Real: names, versions, dependency ranges, licenses, refs,
 * tarball `integrity`/`size` (metadata `published[v].hash`/`bytes`; `sha256` is the same digest in
 * hex), publish times, unpublished versions, and asset paths (`<name>/<version>.tar.gz` under
 * https://packages.registry.purescript.org, where PureScript serves its tarballs).
 * Placeholders, because the data has no such fields: `commit` is the registry-index commit the data
 * was taken at, `revision` is 1, there are no keywords; unpublished versions (no tarball left) get
 * an all-zero digest and size 0. The snapshot is unsigned (version 1). Optionally (`reviseTo`), the
 * bounds of one package set's versions are revised so the set satisfies every declared range.
 *
 * `npx tsx tools/bench/purescript-index.ts OUT_DIR` writes the index to OUT_DIR.
 */
import { generateKeyPairSync } from 'node:crypto';
import { rootBytes, singleKeyRoot } from '../../curator/index/tuf/root.js';
import { writeGeneration } from '../../curator/index/tuf/repository.js';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexFromIntegrity, integrityFromHex } from '../../core/hash.js';
import { indexPath } from '../../core/index-path.js';
import { serializeIndexFile } from '../../core/index-line.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { satisfies } from '../../core/ranges.js';
import { compareVersions, isPrerelease } from '../../core/versions.js';
import type { IndexConfig, IndexLine, PackagesFile, PackageSummary } from '../../schema/types.js';

/** Where the shared real data lives (`../shared/data/purescript-registry` next to the repository). */
export { PURESCRIPT_DATA } from './shared-data.js';
import { PURESCRIPT_DATA } from './shared-data.js';
export const PURESCRIPT_INDEX_COMMIT = 'be4f684136b491cde212e0df50963a76b71240b0';
const ZERO = '0'.repeat(64);

interface PsManifest {
  name: string;
  version: string;
  license: string;
  description?: string;
  ref: string;
  dependencies?: Record<string, string>;
  location?: { githubOwner?: string; githubRepo?: string };
}

interface PsMetadata {
  location?: { githubOwner?: string; githubRepo?: string };
  published?: Record<string, { bytes: number; hash: string; publishedTime: string }>;
  unpublished?: Record<string, { publishedTime: string; unpublishedTime: string; reason: string }>;
}

export interface PackageSet {
  version: string;
  packages: Record<string, string>;
}

export interface Conversion {
  packages: number;
  versions: number;
  files: number;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** The newest package set in the data (by version), e.g. 80.8.0. */
export async function newestPackageSet(dataDir = PURESCRIPT_DATA): Promise<PackageSet> {
  const names = (await readdir(join(dataDir, 'package-sets'))).filter((f) => f.endsWith('.json'));
  names.sort((a, b) => compareVersions(a.replace(/\.json$/, ''), b.replace(/\.json$/, '')));
  return JSON.parse(await readFile(join(dataDir, 'package-sets', names[names.length - 1]!), 'utf8')) as PackageSet;
}

export interface PurescriptData {
  manifests: Map<string, PsManifest[]>;
  metadata: Map<string, PsMetadata>;
}

/** Read the manifest index and the metadata of every package in it. */
export async function loadPurescriptData(dataDir = PURESCRIPT_DATA): Promise<PurescriptData> {
  const manifests = new Map<string, PsManifest[]>();
  for await (const file of walk(join(dataDir, 'index'))) {
    for (const row of (await readFile(file, 'utf8')).split('\n')) {
      if (row.trim() === '') continue;
      const m = JSON.parse(row) as PsManifest;
      let list = manifests.get(m.name);
      if (!list) manifests.set(m.name, (list = []));
      list.push(m);
    }
  }
  const metadata = new Map<string, PsMetadata>();
  await Promise.all([...manifests.keys()].map(async (name) => metadata.set(name, await readMetadata(dataDir, name))));
  return { manifests, metadata };
}

export interface BuildOptions {
  /**
   * Revise the bounds of this set's versions, as a trustee would, wherever a declared range
   * excludes the version the set pins for that dependency: the range gains `|| <pinned version>`,
   * the line becomes revision 2 and keeps the declared bounds in `history`.
   */
  reviseTo?: PackageSet;
}

/** The converted index as path → file contents (package files, config.json, packages.json, snapshot.json). */
export function buildPurescriptIndex(
  data: PurescriptData,
  options: BuildOptions = {},
): { files: Map<string, string>; conversion: Conversion; revised: number } {
  const { manifests, metadata } = data;
  const files = new Map<string, string>();
  const summaries: PackageSummary[] = [];
  let versions = 0;
  let revised = 0;
  for (const name of [...manifests.keys()].sort()) {
    const meta = metadata.get(name) ?? {};
    const ordered = [...manifests.get(name)!].sort((a, b) => compareVersions(a.version, b.version));
    const lines: IndexLine[] = [];
    for (const m of ordered) {
      const published = meta.published?.[m.version];
      const hex = published ? hexFromIntegrity(published.hash) : undefined;
      const line: IndexLine = {
        name,
        version: m.version,
        dependencies: m.dependencies ?? {},
        license: m.license,
        sha256: hex ?? ZERO,
        integrity: integrityFromHex(hex ?? ZERO),
        size: published?.bytes ?? 0,
        asset: `${name}/${m.version}.tar.gz`,
        commit: PURESCRIPT_INDEX_COMMIT,
        ref: m.ref,
        publishedAt: published?.publishedTime ?? '1970-01-01T00:00:00.000Z',
        revision: 1,
      };
      const set = options.reviseTo;
      if (set && set.packages[name] === m.version) {
        const widened: Record<string, string> = {};
        for (const [dep, range] of Object.entries(line.dependencies)) {
          const pinned = set.packages[dep];
          widened[dep] = pinned !== undefined && !satisfies(pinned, range) ? `${range} || ${pinned}` : range;
        }
        if (Object.entries(widened).some(([dep, range]) => line.dependencies[dep] !== range)) {
          revised++;
          line.history = [
            {
              revision: 1,
              dependencies: line.dependencies,
              at: line.publishedAt,
              reason: `bounds widened in revision 2 to admit the versions of package set ${set.version}, which build together`,
            },
          ];
          line.dependencies = widened;
          line.revision = 2;
        }
      }
      lines.push(line);
    }
    for (const [version, u] of Object.entries(meta.unpublished ?? {})) {
      if (lines.some((l) => l.version === version)) continue;
      lines.push({
        name,
        version,
        dependencies: {},
        license: ordered.at(-1)!.license,
        sha256: ZERO,
        integrity: integrityFromHex(ZERO),
        size: 0,
        asset: `${name}/${version}.tar.gz`,
        commit: PURESCRIPT_INDEX_COMMIT,
        ref: `v${version}`,
        publishedAt: u.publishedTime,
        revision: 1,
        unpublished: { at: u.unpublishedTime, reason: u.reason },
      });
    }
    lines.sort((a, b) => compareVersions(a.version, b.version));
    versions += lines.length;
    files.set(indexPath(name), serializeIndexFile(lines));
    const usable = lines.filter((l) => !l.unpublished && !l.yanked && !isPrerelease(l.version));
    const newest = ordered.at(-1)!;
    const owner = meta.location?.githubOwner ?? newest.location?.githubOwner;
    const repo = meta.location?.githubRepo ?? newest.location?.githubRepo;
    summaries.push({
      name,
      ...(newest.description ? { description: newest.description } : {}),
      license: newest.license,
      ...(owner && repo ? { homepage: `https://github.com/${owner}/${repo}` } : {}),
      ...(owner ? { owners: [owner] } : {}),
      latest: usable.at(-1)?.version ?? null,
      versions: lines.filter((l) => !l.unpublished).length,
      updatedAt: lines
        .map((l) => l.publishedAt)
        .sort()
        .at(-1)!,
    });
  }
  const config: IndexConfig = {
    format: 2,
    name: 'purescript (converted)',
    assetBase: 'https://packages.registry.purescript.org',
  };
  const packages: PackagesFile = { format: 2, packages: summaries };
  files.set('config.json', `${canonicalJson(config)}\n`);
  files.set('packages.json', `${canonicalJson(packages)}\n`);
  return { files, conversion: { packages: manifests.size, versions, files: files.size }, revised };
}

/**
 * The target files (path → text) as a signed TUF index, the way curate writes one: a fresh single-key
 * root whose key is thrown away (readers of these indexes pin nothing).
 */
export async function signedIndexFiles(targets: Map<string, string>): Promise<Map<string, string>> {
  const key = generateKeyPairSync('ed25519').privateKey;
  const written = await writeGeneration({
    current: undefined,
    changed: new Map([...targets].map(([path, text]) => [path, Buffer.from(text, 'utf8')])),
    roots: [rootBytes(singleKeyRoot(key))],
    onlineKey: key,
    commit: PURESCRIPT_INDEX_COMMIT,
    createdAt: '2026-08-18T00:00:00.000Z',
    now: Date.now(),
  });
  const files = new Map<string, string>();
  for (const [path, bytes] of written.changes) if (bytes !== null) files.set(path, bytes.toString('utf8'));
  return files;
}

/** Write index files (path → contents) under `outDir`. */
export async function writeIndexFiles(files: Map<string, string>, outDir: string): Promise<void> {
  for (const [path, text] of files) {
    const full = join(outDir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text);
  }
}

/** Convert the real data and write the index into `outDir`. */
export async function convertPurescriptRegistry(
  outDir: string,
  dataDir = PURESCRIPT_DATA,
  options: BuildOptions = {},
): Promise<Conversion> {
  const built = buildPurescriptIndex(await loadPurescriptData(dataDir), options);
  await writeIndexFiles(await signedIndexFiles(built.files), outDir);
  return built.conversion;
}

async function readMetadata(dataDir: string, name: string): Promise<PsMetadata> {
  const file = join(dataDir, 'metadata', `${name}.json`);
  if (!existsSync(file)) return {};
  return JSON.parse(await readFile(file, 'utf8')) as PsMetadata;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx tools/bench/purescript-index.ts OUT_DIR');
    process.exitCode = 2;
  } else {
    const result = await convertPurescriptRegistry(resolve(out));
    console.log(
      `wrote ${result.files} files: ${result.packages} packages, ${result.versions} versions → ${resolve(out)}`,
    );
  }
}
