/**
 * Put a set of packages in the install directory: download, verify and stage every one, then move them
 * all in, and remove what an earlier install put there that is no longer wanted. Only directories the
 * state file records as an install's own, unchanged since, are ever replaced or removed.
 */
import { lstat, mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nameError } from '../core/names.js';
import { removeStale } from '../core/stale-files.js';
import type { TarballLimits } from '../core/tarball-contract.js';
import { DEFAULT_JOBS } from './defaults.js';
import { directoryContentHash } from './extract/content-hash.js';
import { replaceDirectory } from './extract/replace-directory.js';
import { extractPackage } from './extract/extract-package.js';
import { fetchTarball } from './fetch/fetch-tarball.js';
import { mapParallel } from './fetch/parallel.js';
import type { ReadOptions } from './fetch/read-verified.js';
import {
  ForeignDirectoryError,
  notOurs,
  packageDir,
  readInstallState,
  writeInstallState,
  type InstalledRecord,
  type RefusedDirectory,
} from './install-state.js';
import type { Target } from './install-target.js';
import { silentProgress, type Progress } from './progress.js';
import type { Registry } from './types.js';

/** Staging directories `mkdtemp` makes under the install directory. */
const STAGING = /^\.granary-staging-[A-Za-z0-9]{6}$/;

export { DEFAULT_MAX_TARBALL_BYTES } from './defaults.js';

export interface PlaceOptions {
  /** Where relative paths in messages are relative to. */
  cwd: string;
  /** The install directory (absolute). */
  dir: string;
  /** Extract again packages that look installed, and replace or remove directories that are not an install's own. */
  force?: boolean;
  cacheDir: string;
  jobs?: number;
  limits?: Partial<TarballLimits>;
  maxTarballBytes?: number;
  read?: ReadOptions;
  progress?: Progress;
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** `downloaded` now, taken from the `cached` tarball, or `unchanged` (already installed, nothing done). */
  status: 'downloaded' | 'cached' | 'unchanged';
  size: number;
  deprecated?: string;
  yanked?: boolean;
}

export interface Placed {
  packages: InstalledPackage[];
  /** Packages an earlier install put in `dir` that are no longer wanted, now removed. */
  removed: string[];
}

/** Place `targets` in `options.dir`; nothing there changes unless every package downloaded, verified and extracted. */
export async function placePackages(targets: Target[], registry: Registry, options: PlaceOptions): Promise<Placed> {
  const { dir } = options;
  await mkdir(dir, { recursive: true });
  const state = await readInstallState(dir);
  const packages: InstalledPackage[] = [];
  const todo: Target[] = [];
  const refused: RefusedDirectory[] = [];
  for (const t of targets) {
    packages.push({
      name: t.name,
      version: t.version,
      status: 'unchanged',
      size: t.size,
      ...(t.line?.deprecated ? { deprecated: t.line.deprecated } : {}),
      ...(t.line?.yanked ? { yanked: true } : {}),
    });
    const path = packageDir(dir, t.name);
    const existing = await lstat(path).catch(() => undefined);
    const record = state.packages[t.name];
    if (!options.force && !record?.pending && record?.sha256 === t.sha256 && existing?.isDirectory()) continue;
    if (existing && !options.force) {
      const reason = await notOurs(path, record);
      if (reason) refused.push({ path, action: 'replace', by: `${t.name}@${t.version}`, reason });
    }
    todo.push(t);
  }
  const wanted = new Set(targets.map((t) => t.name));
  const leaving = Object.keys(state.packages).filter((name) => !wanted.has(name) && !nameError(name));
  for (const name of leaving) {
    const path = packageDir(dir, name);
    if (options.force || !(await lstat(path).catch(() => undefined))) continue;
    const reason = await notOurs(path, state.packages[name]);
    if (reason) refused.push({ path, action: 'remove', reason });
  }
  if (refused.length > 0) throw new ForeignDirectoryError(refused, options.cwd);

  const fresh = new Map<string, string | undefined>();
  // A killed install leaves its staging directory; the next one clears those it made, once they are old.
  await removeStale(dir, STAGING);
  const staging = await mkdtemp(join(dir, '.granary-staging-'));
  const progress = options.progress ?? silentProgress;
  try {
    progress.start(
      todo.length,
      'installing',
      todo.reduce((n, t) => n + t.size, 0),
    );
    const staged = await mapParallel(todo, options.jobs ?? DEFAULT_JOBS, async (t, i) => {
      const path = join(staging, String(i));
      const fromCache = await stage(t, path, registry, options);
      progress.advance(`${t.name}@${t.version}`, t.size);
      return { t, fromCache, path, contentHash: await directoryContentHash(path) };
    });
    // Recorded before anything moves: a run killed half-way leaves directories the next one may replace.
    for (const t of todo) state.packages[t.name] = { ...recordOf(t, undefined), pending: true };
    await writeInstallState(dir, state);
    for (const s of staged) {
      await replaceDirectory(s.path, dir, packageDir(dir, s.t.name), staging);
      fresh.set(s.t.name, s.contentHash);
      packages.find((p) => p.name === s.t.name)!.status = s.fromCache ? 'cached' : 'downloaded';
    }
  } finally {
    progress.stop();
    await rm(staging, { recursive: true, force: true });
  }

  const removed: string[] = [];
  for (const name of leaving) {
    await rm(packageDir(dir, name), { recursive: true, force: true });
    if (name.startsWith('@')) await rmdir(join(dir, name.split('/')[0]!)).catch(() => undefined);
    removed.push(name);
  }
  const next: Record<string, InstalledRecord> = {};
  for (const t of targets) {
    const before = state.packages[t.name];
    next[t.name] = recordOf(t, fresh.has(t.name) ? fresh.get(t.name) : before?.contentHash, before);
  }
  await writeInstallState(dir, { format: 2, packages: next });
  return { packages, removed };
}

/** Download (or take from the cache) and verify one tarball, and extract it at `path`; true when it came from the cache. */
async function stage(t: Target, path: string, registry: Registry, options: PlaceOptions): Promise<boolean> {
  const { bytes, fromCache } = await fetchTarball(registry, t, {
    cacheDir: options.cacheDir,
    cwd: options.cwd,
    ...(options.maxTarballBytes === undefined ? {} : { maxTarballBytes: options.maxTarballBytes }),
    ...(options.read === undefined ? {} : { read: options.read }),
  });
  await extractPackage(bytes, path, t, options.limits);
  return fromCache;
}

/** The record of a placed target: the index's marks as now, else as recorded before. */
function recordOf(t: Target, contentHash: string | undefined, before?: InstalledRecord): InstalledRecord {
  const deprecated = t.line ? t.line.deprecated : before?.deprecated;
  const yanked = t.line ? t.line.yanked === true : before?.yanked === true;
  return {
    version: t.version,
    sha256: t.sha256,
    ...(contentHash === undefined ? {} : { contentHash }),
    ...(deprecated ? { deprecated } : {}),
    ...(yanked ? { yanked: true as const } : {}),
  };
}
