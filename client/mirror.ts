/**
 * `granary mirror`: copy a registry's index (`DEST/index/…`) and assets (`DEST/assets/<tag>/<file>` plus
 * `.sha256` sidecars, the `fs:` store layout), verifying every byte on the way; later runs copy only what is new.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { canonicalJson } from '../core/canonical-json.js';
import { InputError, SourceError, TrustError, shown } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { indexPath } from '../core/index-path.js';
import type { IndexLine, Snapshot } from '../schema/types.js';
import { assetDiskSegments, checkAssetPath } from './fetch/asset-path.js';
import { DEFAULT_JOBS } from './defaults.js';
import { readVerified, type ReadOptions } from './fetch/read-verified.js';
import { silentProgress, type Progress } from './progress.js';
import type { Registry } from './types.js';

export const MIRROR_INDEX_DIR = 'index';
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

/** Mirror `registry` into `dest`: assets first, then index files, then snapshot.json and its signature (so the snapshot never names files the mirror lacks). */
export async function mirrorRegistry(
  registry: Registry,
  dest: string,
  options: MirrorOptions = {},
): Promise<MirrorReport> {
  const indexDir = join(dest, MIRROR_INDEX_DIR);
  const assetsDir = join(dest, MIRROR_ASSETS_DIR);
  const report: MirrorReport = {
    dest,
    snapshotVersion: registry.snapshot?.version,
    index: { copied: 0, skipped: 0 },
    assets: { copied: 0, skipped: 0 },
    written: [],
  };
  const source = registry.source;
  const [snapshotBytes, signature] = await Promise.all([
    source.readFile('snapshot.json'),
    source.readFile('snapshot.json.sig'),
  ]);
  await checkSnapshotUnchanged(registry, snapshotBytes);
  await checkNotNewer(join(indexDir, 'snapshot.json'), registry.snapshot);

  const { packages } = await registry.packages();
  const limit = pLimit(options.jobs ?? DEFAULT_JOBS);
  const lines = (await Promise.all(packages.map((p) => limit(() => registry.lines(p.name)))))
    .flat()
    .filter((l) => !l.unpublished);
  const progress = options.progress ?? silentProgress;
  progress.start(lines.length, 'mirroring');
  try {
    await Promise.all(
      lines.map((line) =>
        limit(async () => {
          await copyAsset(line, registry, assetsDir, report, options.read);
          progress.advance(`${line.name}@${line.version}`);
        }),
      ),
    );
  } finally {
    progress.stop();
  }

  const files = registry.snapshot
    ? Object.keys(registry.snapshot.files)
    : ['config.json', 'packages.json', ...packages.map((p) => indexPath(p.name))];
  if (!registry.snapshot)
    options.warn?.('the source has no snapshot.json: index files are copied without a hash to check them against');
  await Promise.all(
    files.sort().map((path) =>
      limit(async () => {
        checkIndexPath(path, source.description);
        const bytes = await source.readFile(path);
        const expected = registry.snapshot?.files[path];
        if (bytes === undefined) {
          if (expected !== undefined)
            throw new TrustError(`index file ${path} is listed in snapshot.json but missing`, {
              where: source.description,
              hint: 'the source index is incomplete; mirror the registry itself',
            });
          return;
        }
        if (expected !== undefined && sha256Hex(bytes) !== expected) {
          throw new TrustError(
            `index file ${path} has sha256 ${sha256Hex(bytes)}, but snapshot.json lists ${expected}`,
            {
              where: source.description,
              hint: 'the source index was altered or changed while mirroring; run mirror again, or mirror the registry itself',
            },
          );
        }
        await writeIfChanged(
          join(indexDir, ...path.split('/')),
          bytes,
          `${MIRROR_INDEX_DIR}/${path}`,
          report.index,
          report,
        );
      }),
    ),
  );
  if (snapshotBytes !== undefined)
    await writeIfChanged(
      join(indexDir, 'snapshot.json'),
      snapshotBytes,
      `${MIRROR_INDEX_DIR}/snapshot.json`,
      report.index,
      report,
    );
  if (signature !== undefined)
    await writeIfChanged(
      join(indexDir, 'snapshot.json.sig'),
      signature,
      `${MIRROR_INDEX_DIR}/snapshot.json.sig`,
      report.index,
      report,
    );
  report.written.sort();
  return report;
}

/** The snapshot bytes read now must be the snapshot the registry was opened (and verified) with. */
async function checkSnapshotUnchanged(registry: Registry, bytes: Buffer | undefined): Promise<void> {
  if (registry.snapshot === undefined) return;
  let same: boolean;
  try {
    same =
      bytes !== undefined && canonicalJson(JSON.parse(bytes.toString('utf8'))) === canonicalJson(registry.snapshot);
  } catch {
    same = false;
  }
  if (!same)
    throw new SourceError('snapshot.json changed while mirroring', {
      where: registry.source.description,
      hint: 'the source published a new index meanwhile; run mirror again',
    });
}

/** Never roll a mirror back: refuse a source older than what the mirror already holds. */
async function checkNotNewer(path: string, snapshot: Snapshot | undefined): Promise<void> {
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing === undefined || snapshot === undefined) return;
  let version: unknown;
  try {
    version = (JSON.parse(existing) as { version?: unknown }).version;
  } catch {
    return;
  }
  if (typeof version === 'number' && version > snapshot.version) {
    throw new TrustError(`the mirror already holds snapshot ${version}, newer than the source's ${snapshot.version}`, {
      where: path,
      hint: 'the source is stale or rolled back; mirror from the registry itself',
    });
  }
}

function checkIndexPath(path: string, where: string): void {
  const ok = path.length <= 512 && path.split('/').every((s) => s !== '.' && s !== '..' && INDEX_SEGMENT.test(s));
  if (!ok || path === 'snapshot.json' || path === 'snapshot.json.sig') {
    throw new InputError(`snapshot.json lists an unsafe index path ${shown(path)}`, {
      where,
      hint: 'the source index is damaged or hostile; mirror the registry itself',
    });
  }
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
      { label, location: registry.assetUrl(line.asset), sha256: line.sha256, size: line.size },
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
