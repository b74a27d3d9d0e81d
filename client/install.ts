/** `granary install`: resolve (or read the lockfile), download and verify in parallel, extract safely, write the lockfile. */
import { dictionary } from '../core/dictionary.js';
import { removeStale } from '../core/stale-files.js';
import { lstat, mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import pLimit from 'p-limit';
import { IntegrityError, LimitError, ResolutionError, TrustError, UsageError } from '../core/errors.js';
import { hexFromIntegrity } from '../core/hash.js';
import { assetStem, nameError } from '../core/names.js';
import type { IndexLine } from '../schema/types.js';
import { extractTarball } from './extract/safe-extract.js';
import type { TarballLimits } from '../core/tarball-contract.js';
import { replaceDirectory } from './extract/replace-directory.js';
import { checkAssetPath } from './fetch/asset-path.js';
import { TarballCache } from './fetch/cache.js';
import { mapParallel } from './fetch/parallel.js';
import { DEFAULT_INSTALL_DIR, DEFAULT_JOBS, LOCKFILE_NAME } from './defaults.js';
import type { ReadOptions } from './fetch/read-verified.js';
import {
  LOCKFILE_VERSION,
  LockfileMismatchError,
  lockedVersions,
  readLockfile,
  serializeLockfile,
  writeLockfile,
  type LockedPackage,
  type Lockfile,
} from './lockfile.js';
import { silentProgress, type Progress } from './progress.js';
import { openRegistry } from './registry.js';
import { parseSpec, resolve } from './resolve/resolve.js';
import type { OpenOptions, Registry, Request, Resolution, ResolveOptions } from './types.js';

/** Staging directories `mkdtemp` makes under the install directory. */
const STAGING = /^\.granary-staging-[A-Za-z0-9]{6}$/;

/** Larger tarballs are refused before download (registries default to 50 MiB). */
export const DEFAULT_MAX_TARBALL_BYTES = 256 * 1024 * 1024;
const STATE_FILE = '.granary-state.json';
// Index files are small; reading many at once hides the round trips.
const INDEX_READS_AT_ONCE = 16;

/** The read side the installer calls (passed in, so tests and other front ends can supply their own). */
export interface ClientDeps {
  openRegistry(spec: string, options: OpenOptions): Promise<Registry>;
  resolve(registry: Registry, requests: Request[], options: ResolveOptions): Promise<Resolution>;
  parseSpec(spec: string): Request;
}

/** The real registry reader and resolver; tests inject others. */
const DEFAULT_DEPS: ClientDeps = { openRegistry, resolve, parseSpec };

export interface InstallOptions {
  cwd: string;
  /** `name[@range]` requests; none means "install exactly the lockfile". */
  specs?: string[];
  /** The registry spec; default: the lockfile's, else `$GRANARY_REGISTRY`. */
  registry?: string;
  /** Asset base override (a mirror). */
  assets?: string;
  /** Pinned key; default: the lockfile's, else `$GRANARY_TRUST_KEY`. */
  trustKey?: string;
  /** A pinned root.json (see `OpenOptions.trustRoot`). */
  trustRoot?: Buffer;
  /** Resolve against the index as it was (see `OpenOptions.snapshot`); the lockfile records that snapshot. */
  snapshot?: string;
  /** Where packages go (default `granary_packages`). */
  dir?: string;
  /** The lockfile (default `granary.lock`). */
  lockfile?: string;
  /** Install exactly the lockfile; fail if the SPECs or the index no longer match it. */
  frozen?: boolean;
  /** Re-extract packages that look installed already. */
  force?: boolean;
  cacheDir: string;
  jobs?: number;
  limits?: Partial<TarballLimits>;
  maxTarballBytes?: number;
  read?: ReadOptions;
  progress?: Progress;
  warn?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
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

export interface InstallReport {
  dir: string;
  lockfile: string;
  /** `written` (new or changed), `unchanged`, or `kept` (installed from it, never rewritten). */
  lockfileStatus: 'written' | 'unchanged' | 'kept';
  registry: string;
  snapshotVersion: number;
  packages: InstalledPackage[];
  /** Packages a previous install put in `dir` that are no longer wanted, now removed. */
  removed: string[];
  downloadedBytes: number;
  durationMs: number;
  warnings: string[];
}

interface Target extends LockedPackage {
  name: string;
  line: IndexLine | undefined;
}

/** Install packages into `dir` and keep the lockfile in step; nothing in `dir` changes unless every package downloaded, verified and extracted. */
export async function install(options: InstallOptions, deps: ClientDeps = DEFAULT_DEPS): Promise<InstallReport> {
  const started = performance.now();
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.warn?.(message);
  };
  const lockPath = resolvePath(options.cwd, options.lockfile ?? LOCKFILE_NAME);
  const lockDir = dirname(lockPath);
  const dir = resolvePath(options.cwd, options.dir ?? DEFAULT_INSTALL_DIR);
  const lock = await readLockfile(lockPath);
  const specs = options.specs ?? [];
  const requests = specs.map((s) => deps.parseSpec(s));
  if (specs.length === 0 && !lock) {
    throw new UsageError('nothing to install: no SPEC given and no lockfile', {
      where: lockPath,
      hint: 'run `granary install NAME[@RANGE]...`, or pass --lock with an existing lockfile',
    });
  }
  if (options.frozen && !lock)
    throw new UsageError('--frozen needs a lockfile, and there is none', {
      where: lockPath,
      hint: 'run `granary install SPEC...` once without --frozen and commit the lockfile',
    });

  const chosen = chooseRegistry(options, lock, lockDir);
  if (options.trustKey && lock?.publicKey && options.trustKey.trim() !== lock.publicKey) {
    if (options.frozen)
      throw new LockfileMismatchError(
        [`--trust-key ${options.trustKey.trim()} differs from the lockfile's key ${lock.publicKey}`],
        lockPath,
      );
    warn(`--trust-key differs from the key in the lockfile (${lock.publicKey}); using --trust-key`);
  }
  const registry = await deps.openRegistry(chosen.spec, {
    cwd: chosen.cwd,
    trustKey: options.trustKey ?? lock?.publicKey ?? (options.env?.GRANARY_TRUST_KEY || undefined),
    ...(options.trustRoot === undefined ? {} : { trustRoot: options.trustRoot }),
    ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }),
    cacheDir: options.cacheDir,
    ...(options.assets === undefined ? {} : { assets: absoluteLocation(options.assets, options.cwd) }),
    warn,
  });
  const snapshotVersion = registry.snapshot?.version ?? 0;
  // An older snapshot asked for by name is not a rollback.
  if (lock && options.snapshot === undefined) checkNotOlder(lock, registry);

  let targets: Target[];
  let newLock: Lockfile | undefined;
  if (options.frozen || specs.length === 0) {
    targets = await lockfileTargets(lock!, requests, registry, deps, Boolean(options.frozen), lockPath, warn);
  } else {
    const merged: Record<string, string> = { ...lock?.requests };
    for (const r of requests) merged[r.name] = r.range;
    prefetchLines(registry, [...Object.keys(merged), ...Object.keys(lock?.packages ?? {})]);
    const resolution = await deps.resolve(
      registry,
      Object.entries(merged).map(([name, range]) => ({ name, range })),
      { locked: lockedVersions(lock) },
    );
    const locate = await registry.assets();
    targets = [...resolution.packages.values()].map((line) => targetOf(line, registry, locate));
    for (const t of targets) noteStatus(t, lock?.packages[t.name]?.version === t.version, warn);
    newLock = {
      lockfileVersion: LOCKFILE_VERSION,
      registry: chosen.recorded,
      ...(registry.trustedKey === undefined ? {} : { publicKey: registry.trustedKey }),
      snapshotVersion,
      requests: merged,
      packages: Object.fromEntries(targets.map((t) => [t.name, lockedOf(t)])),
    };
  }

  const report = await placePackages(targets, dir, registry, options);
  let lockfileStatus: InstallReport['lockfileStatus'] = 'kept';
  if (newLock) {
    const text = serializeLockfile(newLock);
    const before = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (before === text) lockfileStatus = 'unchanged';
    else {
      await writeLockfile(lockPath, newLock);
      lockfileStatus = 'written';
    }
  }
  return {
    dir,
    lockfile: lockPath,
    lockfileStatus,
    registry: chosen.spec,
    snapshotVersion,
    packages: report.packages,
    removed: report.removed,
    downloadedBytes: report.packages.filter((p) => p.status === 'downloaded').reduce((n, p) => n + p.size, 0),
    durationMs: Math.round(performance.now() - started),
    warnings,
  };
}

/**
 * Start reading the index files of packages the resolution will certainly need, a few at a time:
 * the registry keeps each read, so the resolver then finds them without a round trip each.
 */
function prefetchLines(registry: Registry, names: string[]): void {
  const limit = pLimit(INDEX_READS_AT_ONCE);
  for (const name of new Set(names)) void limit(() => registry.lines(name)).catch(() => undefined);
}

/** The registry to open: `--registry`, else the lockfile's (relative to the lockfile), else `$GRANARY_REGISTRY`. */
function chooseRegistry(
  options: InstallOptions,
  lock: Lockfile | undefined,
  lockDir: string,
): { spec: string; cwd: string; recorded: string } {
  const given = options.registry ?? (lock ? undefined : options.env?.GRANARY_REGISTRY);
  if (given !== undefined)
    return { spec: given, cwd: options.cwd, recorded: relocateSpec(given, options.cwd, lockDir) };
  if (lock) return { spec: lock.registry, cwd: lockDir, recorded: lock.registry };
  throw new UsageError('no registry given', {
    hint: 'pass --registry (an https:// URL, a directory of index files, or a git clone), or set GRANARY_REGISTRY',
  });
}

/** A spec as the lockfile records it: URLs and absolute paths as given, relative paths relative to the lockfile. */
export function relocateSpec(spec: string, cwd: string, lockDir: string): string {
  const m = /^(git:|dir:)?([\s\S]*)$/.exec(spec.trim())!;
  const prefix = m[1] ?? '';
  const rest = m[2]!;
  if (prefix === '' && /^[a-z][a-z0-9+.-]+:/i.test(rest)) return spec;
  if (isAbsolute(rest)) return spec;
  return `${prefix}${relative(lockDir, resolvePath(cwd, rest)) || '.'}`;
}

function absoluteLocation(location: string, cwd: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(location) || isAbsolute(location) ? location : resolvePath(cwd, location);
}

function checkNotOlder(lock: Lockfile, registry: Registry): void {
  const current = registry.snapshot?.version;
  if (lock.snapshotVersion > 0 && current === undefined) {
    throw new TrustError(
      `the registry has no snapshot, but the lockfile was made from snapshot ${lock.snapshotVersion}`,
      {
        where: registry.source.description,
        hint: 'use the registry (or a complete mirror) the lockfile was made with',
      },
    );
  }
  if (current !== undefined && current < lock.snapshotVersion) {
    throw new TrustError(
      `the registry's snapshot ${current} is older than the lockfile's snapshot ${lock.snapshotVersion} (a rollback, or a stale mirror)`,
      {
        where: registry.source.description,
        hint: 'use an up-to-date mirror or the registry itself; never install from an index older than your lockfile',
      },
    );
  }
}

/** The packages of the lockfile, checked against the index (and, with --frozen, against a fresh resolution). */
async function lockfileTargets(
  lock: Lockfile,
  requests: Request[],
  registry: Registry,
  deps: ClientDeps,
  frozen: boolean,
  lockPath: string,
  warn: (m: string) => void,
): Promise<Target[]> {
  const differences: string[] = [];
  for (const r of requests) {
    const locked = lock.requests[r.name];
    if (locked === undefined) differences.push(`${r.name}@${r.range} is requested but not in the lockfile`);
    else if (locked !== r.range) differences.push(`${r.name} is requested as ${r.range}, the lockfile has ${locked}`);
  }
  const targets: Target[] = [];
  const limit = pLimit(INDEX_READS_AT_ONCE);
  const entries = Object.entries(lock.packages);
  const indexLines = await Promise.all(entries.map(([name]) => limit(() => registry.lines(name))));
  for (const [i, [name, locked]] of entries.entries()) {
    const label = `${name}@${locked.version}`;
    const line = indexLines[i]!.find((l) => l.version === locked.version);
    if (!line) {
      if (frozen) differences.push(`${label} is in the lockfile but not in the index`);
      else warn(`${label} is no longer in the index; installing it from the lockfile`);
    } else if (line.sha256 !== locked.sha256 || line.size !== locked.size) {
      const message = `${label}: the index records sha256 ${line.sha256} (${line.size} bytes), the lockfile ${locked.sha256} (${locked.size} bytes)`;
      if (frozen) differences.push(message);
      else
        throw new IntegrityError(message, {
          where: lockPath,
          hint: 'published versions never change: the index or the lockfile was altered; find out which before installing',
        });
    } else noteStatus({ ...locked, name, line }, true, warn);
    targets.push({ ...locked, name, line });
  }
  if (frozen) {
    try {
      const resolution = await deps.resolve(
        registry,
        Object.entries(lock.requests).map(([name, range]) => ({ name, range })),
        { locked: lockedVersions(lock) },
      );
      for (const [name, line] of resolution.packages) {
        const locked = lock.packages[name];
        if (!locked) differences.push(`${name}@${line.version} is needed now but not in the lockfile`);
        else if (locked.version !== line.version)
          differences.push(`${name}: the lockfile has ${locked.version}, the index now resolves ${line.version}`);
      }
      for (const [name, locked] of Object.entries(lock.packages)) {
        if (!resolution.packages.has(name))
          differences.push(`${name}@${locked.version} is in the lockfile but no longer needed`);
      }
    } catch (error) {
      if (!(error instanceof ResolutionError)) throw error;
      differences.push(`the lockfile's requests no longer resolve: ${error.message}`);
    }
    if (differences.length > 0) throw new LockfileMismatchError([...new Set(differences)], lockPath);
  }
  return targets;
}

function targetOf(line: IndexLine, registry: Registry, locate: (asset: string) => string): Target {
  const label = `${line.name}@${line.version}`;
  if (hexFromIntegrity(line.integrity) !== line.sha256) {
    throw new IntegrityError(`the index line of ${label} has an integrity that does not match its sha256`, {
      where: registry.source.description,
      hint: 'the index is damaged; use the registry itself or another mirror',
    });
  }
  checkAssetPath(line.asset, label);
  return {
    name: line.name,
    version: line.version,
    asset: line.asset,
    url: locate(line.asset),
    size: line.size,
    sha256: line.sha256,
    integrity: line.integrity,
    dependencies: { ...line.dependencies },
    line,
  };
}

function lockedOf(t: Target): LockedPackage {
  return {
    version: t.version,
    asset: t.asset,
    url: t.url,
    size: t.size,
    sha256: t.sha256,
    integrity: t.integrity,
    dependencies: t.dependencies,
  };
}

function noteStatus(t: Target, locked: boolean, warn: (m: string) => void): void {
  const label = `${t.name}@${t.version}`;
  if (t.line?.deprecated) warn(`${label} is deprecated: ${t.line.deprecated}`);
  if (t.line?.yanked) warn(`${label} is yanked${locked ? '; kept because the lockfile pins it' : ''}`);
}

interface InstallState {
  format: 1;
  packages: Record<string, { version: string; sha256: string }>;
}

/** Download, verify and stage every package, then move them all in; remove what a previous install left that is no longer wanted. */
async function placePackages(
  targets: Target[],
  dir: string,
  registry: Registry,
  options: InstallOptions,
): Promise<{ packages: InstalledPackage[]; removed: string[] }> {
  await mkdir(dir, { recursive: true });
  const state = await readState(dir);
  const cache = new TarballCache(options.cacheDir);
  const maxTarball = options.maxTarballBytes ?? DEFAULT_MAX_TARBALL_BYTES;
  const progress = options.progress ?? silentProgress;
  const packages: InstalledPackage[] = [];
  const todo: Target[] = [];
  for (const t of targets) {
    const base: InstalledPackage = {
      name: t.name,
      version: t.version,
      status: 'unchanged',
      size: t.size,
      ...(t.line?.deprecated ? { deprecated: t.line.deprecated } : {}),
      ...(t.line?.yanked ? { yanked: true } : {}),
    };
    packages.push(base);
    const installed = state.packages[t.name];
    if (
      !options.force &&
      installed?.sha256 === t.sha256 &&
      (await lstat(packageDir(dir, t.name)).catch(() => undefined))?.isDirectory()
    )
      continue;
    todo.push(t);
  }

  // A killed install leaves its staging directory; the next one clears those it made, once they are old.
  await removeStale(dir, STAGING);
  const staging = await mkdtemp(join(dir, '.granary-staging-'));
  try {
    progress.start(todo.length, 'installing');
    const staged = await mapParallel(todo, options.jobs ?? DEFAULT_JOBS, async (t, i) => {
      const label = `${t.name}@${t.version}`;
      if (t.size > maxTarball)
        throw new LimitError(`the tarball of ${label} is ${t.size} bytes, more than the cap of ${maxTarball}`, {
          where: label,
          hint: 'raise the cap only if you trust this registry',
        });
      const { bytes, fromCache } = await cache.get(
        { label, location: (await registry.assets())(t.asset), sha256: t.sha256, size: t.size },
        { cwd: options.cwd, ...options.read },
      );
      const path = join(staging, String(i));
      await extractTarball(bytes, path, { label, top: `${assetStem(t.name)}-${t.version}` }, options.limits);
      progress.advance(label);
      return { t, fromCache, path };
    });
    for (const s of staged) {
      await replaceDirectory(s.path, dir, packageDir(dir, s.t.name), staging);
      packages.find((p) => p.name === s.t.name)!.status = s.fromCache ? 'cached' : 'downloaded';
    }
  } finally {
    progress.stop();
    await rm(staging, { recursive: true, force: true });
  }

  const wanted = new Set(targets.map((t) => t.name));
  const removed: string[] = [];
  for (const name of Object.keys(state.packages)) {
    if (wanted.has(name) || nameError(name)) continue;
    await rm(packageDir(dir, name), { recursive: true, force: true });
    if (name.startsWith('@')) await rmdir(join(dir, name.split('/')[0]!)).catch(() => undefined);
    removed.push(name);
  }
  const next: InstallState = {
    format: 1,
    packages: Object.fromEntries(targets.map((t) => [t.name, { version: t.version, sha256: t.sha256 }])),
  };
  await writeFile(join(dir, STATE_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return { packages, removed };
}

function packageDir(dir: string, name: string): string {
  return join(dir, ...name.split('/'));
}

/** What a previous install put in `dir`; anything unreadable counts as nothing (so everything is reinstalled). */
async function readState(dir: string): Promise<InstallState> {
  try {
    const value = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as InstallState;
    if (value?.format !== 1 || typeof value.packages !== 'object' || value.packages === null)
      throw new Error('bad state');
    const packages: InstallState['packages'] = dictionary();
    for (const [name, p] of Object.entries(value.packages)) {
      if (!nameError(name) && typeof p?.sha256 === 'string' && typeof p.version === 'string')
        packages[name] = { version: p.version, sha256: p.sha256 };
    }
    return { format: 1, packages };
  } catch {
    return { format: 1, packages: dictionary() };
  }
}
