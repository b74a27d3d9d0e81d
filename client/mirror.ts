/**
 * `granary mirror`: copy a registry's index (`DEST/index/…`) and assets (`DEST/assets/<tag>/<file>` plus
 * `.sha256` sidecars, the `fs:` store layout), verifying every byte on the way; later runs copy only what is new.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import pLimit from 'p-limit';
import { InputError, TrustError, shown } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { RETIRED_FILE } from '../core/tuf/generation.js';
import { consistentTargetPath, ROOT_PATH, TIMESTAMP_PATH } from '../core/tuf-layout.js';
import type { IndexLine } from '../schema/types.js';
import { assetDiskSegments, checkAssetPath } from './fetch/asset-path.js';
import { DEFAULT_JOBS } from './defaults.js';
import { readVerified, type ReadOptions } from './fetch/read-verified.js';
import { silentProgress, type Progress } from './progress.js';
import type { Registry } from './types.js';

export { MIRROR_INDEX_DIR } from './sources/open-source.js';
import { MIRROR_INDEX_DIR } from './sources/open-source.js';
export const MIRROR_ASSETS_DIR = 'assets';

export interface MirrorOptions {
  jobs?: number;
  read?: ReadOptions;
  progress?: Progress;
  warn?: (message: string) => void;
}

export interface CopyCounts {
  copied: number;
  skipped: number;
}

export interface MirrorReport {
  dest: string;
  snapshotVersion: number | undefined;
  index: CopyCounts;
  assets: CopyCounts;
  /** Paths under DEST written by this run. */
  written: string[];
}

const INDEX_SEGMENT = /^[A-Za-z0-9@._-]+$/;

/** What a mirror's index says about where its assets are (unsigned: the tarballs' hashes are in the signed lines). */
export const MIRROR_FILE = 'mirror.json';

/**
 * Mirror `registry` into `dest`: assets first, then target files, then metadata, timestamp.json last (so
 * the mirror never names files it lacks). Assets of unpublished versions are removed.
 */
export async function mirrorRegistry(
  registry: Registry,
  dest: string,
  options: MirrorOptions = {},
): Promise<MirrorReport> {
  const indexDir = join(dest, MIRROR_INDEX_DIR);
  const assetsDir = join(dest, MIRROR_ASSETS_DIR);
  const report: MirrorReport = {
    dest,
    snapshotVersion: registry.snapshot.version,
    index: { copied: 0, skipped: 0 },
    assets: { copied: 0, skipped: 0 },
    written: [],
  };
  const source = registry.source;
  const metadata = await registry.metadataFiles();
  await checkNotNewer(join(indexDir, TIMESTAMP_PATH), metadata.get(TIMESTAMP_PATH)!);

  const { packages } = await registry.packages();
  const limit = pLimit(options.jobs ?? DEFAULT_JOBS);
  const all = (await Promise.all(packages.map((p) => limit(() => registry.lines(p.name))))).flat();
  const lines = all.filter((l) => !l.unpublished);
  const progress = options.progress ?? silentProgress;
  progress.start(
    lines.length,
    'mirroring',
    lines.reduce((n, l) => n + l.size, 0),
  );
  try {
    await Promise.all(
      lines.map((line) =>
        limit(async () => {
          await copyAsset(line, registry, assetsDir, report, options.read);
          progress.advance(`${line.name}@${line.version}`, line.size);
        }),
      ),
    );
  } finally {
    progress.stop();
  }
  for (const line of all.filter((l) => l.unpublished)) await removeAsset(line, assetsDir, report);

  const targets: string[] = [];
  for (const [path, bytes] of metadata) {
    if (!/^metadata\/\d+\.bin-[0-9a-f]+\.json$/.test(path)) continue;
    targets.push(
      ...Object.keys((JSON.parse(bytes.toString('utf8')) as { signed: { targets: object } }).signed.targets),
    );
  }
  const current = new Set<string>([...metadata.keys(), MIRROR_FILE]);
  await Promise.all(
    targets.sort().map((path) =>
      limit(async () => {
        const bytes = await registry.readTarget(path);
        if (bytes === undefined) return;
        const file = consistentTargetPath(path, sha256Hex(bytes));
        current.add(file);
        checkIndexPath(file, source.description);
        await writeIfChanged(
          join(indexDir, ...file.split('/')),
          bytes,
          `${MIRROR_INDEX_DIR}/${file}`,
          report.index,
          report,
        );
      }),
    ),
  );
  const last = [ROOT_PATH, TIMESTAMP_PATH];
  const order = [...metadata.keys()].filter((p) => !last.includes(p)).sort();
  for (const path of [...order, ...last]) {
    checkIndexPath(path, source.description);
    await writeIfChanged(
      join(indexDir, ...path.split('/')),
      metadata.get(path)!,
      `${MIRROR_INDEX_DIR}/${path}`,
      report.index,
      report,
    );
  }
  await writeIfChanged(
    join(indexDir, MIRROR_FILE),
    Buffer.from(`${JSON.stringify({ assetBase: `../${MIRROR_ASSETS_DIR}` })}\n`),
    `${MIRROR_INDEX_DIR}/${MIRROR_FILE}`,
    report.index,
    report,
  );
  await pruneReplaced(indexDir, current, await replacedAtSource(source), report);
  report.written.sort();
  return report;
}

/** The files the source keeps after replacing them (its `retired.txt`: unsigned, it only decides what a mirror keeps). */
async function replacedAtSource(source: Registry['source']): Promise<Set<string>> {
  const text = (await source.readFile(RETIRED_FILE).catch(() => undefined))?.toString('utf8') ?? '';
  return new Set(text.split('\n').flatMap((line) => /^\S+ (\S+)$/.exec(line)?.[1] ?? []));
}

/**
 * Files of earlier generations leave the mirror as they leave the source: what is neither in the current
 * generation nor still kept by the source (clients mid-update may need it) is removed.
 */
async function pruneReplaced(
  indexDir: string,
  current: ReadonlySet<string>,
  kept: ReadonlySet<string>,
  report: MirrorReport,
): Promise<void> {
  const entries = await readdir(indexDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(indexDir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (current.has(path) || kept.has(path) || path.endsWith('.partial')) continue;
    await rm(join(indexDir, path), { force: true });
    report.written.push(`${MIRROR_INDEX_DIR}/${path} (removed: replaced at the source)`);
  }
}

/** Never roll a mirror back: refuse a source older than what the mirror already holds. */
async function checkNotNewer(path: string, incoming: Buffer): Promise<void> {
  const version = (bytes: Buffer | string) => {
    try {
      return (JSON.parse(bytes.toString()) as { signed?: { version?: unknown } }).signed?.version;
    } catch {
      return undefined;
    }
  };
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  const held = existing === undefined ? undefined : version(existing);
  const offered = version(incoming);
  if (typeof held === 'number' && typeof offered === 'number' && held > offered) {
    throw new TrustError(`the mirror already holds timestamp version ${held}, newer than the source's ${offered}`, {
      where: path,
      hint: 'the source is stale or rolled back; mirror from the registry itself',
    });
  }
}

function checkIndexPath(path: string, where: string): void {
  const ok = path.length <= 512 && path.split('/').every((s) => s !== '.' && s !== '..' && INDEX_SEGMENT.test(s));
  if (!ok) {
    throw new InputError(`the index names an unsafe path ${shown(path)}`, {
      where,
      hint: 'the source index is damaged or hostile; mirror the registry itself',
    });
  }
}

/** An unpublished version's tarball and sidecar leave the mirror too. */
async function removeAsset(line: IndexLine, assetsDir: string, report: MirrorReport): Promise<void> {
  checkAssetPath(line.asset, `${line.name}@${line.version}`);
  const target = join(assetsDir, ...assetDiskSegments(line.asset));
  const existed = await stat(target).catch(() => undefined);
  await rm(target, { force: true });
  await rm(`${target}.sha256`, { force: true });
  if (existed) report.written.push(`${MIRROR_ASSETS_DIR}/${line.asset} (removed: unpublished)`);
}

async function copyAsset(
  line: IndexLine,
  registry: Registry,
  assetsDir: string,
  report: MirrorReport,
  read: ReadOptions | undefined,
): Promise<void> {
  const label = `${line.name}@${line.version}`;
  checkAssetPath(line.asset, label);
  const target = join(assetsDir, ...assetDiskSegments(line.asset));
  const fileName = line.asset.split('/').pop()!;
  const sidecar = Buffer.from(`${line.sha256}  ${fileName}\n`);
  const existing = await stat(target).catch(() => undefined);
  // Assets never change once published: a file of the right size was verified when it was copied.
  if (existing?.isFile() && existing.size === line.size) {
    report.assets.skipped++;
    await writeIfChanged(`${target}.sha256`, sidecar, `${MIRROR_ASSETS_DIR}/${line.asset}.sha256`, undefined, report);
    return;
  }
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString('hex')}.partial`;
  const handle = await open(tmp, 'wx', 0o644);
  let position = 0;
  const sink = {
    write: async (chunk: Buffer): Promise<void> => {
      await handle.write(chunk, 0, chunk.byteLength, position);
      position += chunk.byteLength;
    },
    // A retry starts the download over.
    reset: async (): Promise<void> => {
      position = 0;
      await handle.truncate(0);
    },
  };
  try {
    await readVerified(
      { label, location: (await registry.assets())(line.asset), sha256: line.sha256, size: line.size },
      sink,
      read,
    );
    await handle.close();
    await rename(tmp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  report.assets.copied++;
  report.written.push(`${MIRROR_ASSETS_DIR}/${line.asset}`);
  await writeIfChanged(`${target}.sha256`, sidecar, `${MIRROR_ASSETS_DIR}/${line.asset}.sha256`, undefined, report);
}

/** Write `bytes` to `path` (temp file + rename) unless it already holds exactly them. */
async function writeIfChanged(
  path: string,
  bytes: Buffer,
  shownPath: string,
  counts: CopyCounts | undefined,
  report: MirrorReport,
): Promise<void> {
  const existing = await readFile(path).catch(() => undefined);
  if (existing?.equals(bytes)) {
    if (counts) counts.skipped++;
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.partial`;
  await writeFile(tmp, bytes, { flag: 'wx', mode: 0o644 });
  await rename(tmp, path);
  if (counts) counts.copied++;
  report.written.push(shownPath);
}
