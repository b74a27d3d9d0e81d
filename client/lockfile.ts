/** `granary.lock`: the exact packages an install used, read as hostile input and written in a stable form. */
import { dictionary } from '../core/dictionary.js';
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GranaryError, InputError, shown } from '../core/errors.js';
import { hexFromIntegrity } from '../core/hash.js';
import { nameError } from '../core/names.js';
import { rangeReadError } from '../core/ranges.js';
import { versionError } from '../core/versions.js';
import { assetPathError } from './fetch/asset-path.js';

export const LOCKFILE_VERSION = 1;
const MAX_LOCKFILE_BYTES = 16 * 1024 * 1024;

/** One installed package, as the index recorded it when it was locked. */
export interface LockedPackage {
  version: string;
  /** `<tag>/<file>`, relative to the registry's asset base. */
  asset: string;
  /** Where it was downloaded from (informational; installs use the registry's asset base or `--assets`). */
  url: string;
  size: number;
  sha256: string;
  integrity: string;
  /** The dependency ranges it was resolved with (the index line's latest revision). */
  dependencies: Record<string, string>;
}

/** granary.lock: the registry it was resolved from, the requests, and every package pinned with its asset and hashes. */
export interface Lockfile {
  lockfileVersion: 1;
  /** The `--registry` spec; a relative directory is relative to the lockfile's directory. */
  registry: string;
  /** The registry key the snapshot was verified with; pinned for later installs. */
  publicKey?: string;
  /** The snapshot version resolved against (0 when the registry had no snapshot); installs refuse an older one. */
  snapshotVersion: number;
  /** What was asked for: name → range. */
  requests: Record<string, string>;
  packages: Record<string, LockedPackage>;
}

/** The lockfile does not match what the SPECs or the index say now (`--frozen`). */
export class LockfileMismatchError extends GranaryError {
  override readonly code = 'lockfile-mismatch';
  constructor(
    readonly differences: string[],
    where: string,
  ) {
    super(`the lockfile no longer matches:\n${differences.map((d) => `  - ${d}`).join('\n')}`, {
      where,
      hint: 'run `granary install` without --frozen to update the lockfile, and commit it',
    });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), differences: this.differences };
  }
}

/** Name → version of every locked package (what the resolver should prefer). */
export function lockedVersions(lock: Lockfile | undefined): Map<string, string> {
  return new Map(Object.entries(lock?.packages ?? {}).map(([name, p]) => [name, p.version]));
}

/** The lockfile text: fixed key order, packages and dependencies sorted by name, two-space indent, trailing newline. */
export function serializeLockfile(lock: Lockfile): string {
  const sorted = <T>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, record[k]!]),
    );
  const packages = dictionary<LockedPackage>();
  for (const name of Object.keys(lock.packages).sort()) {
    const p = lock.packages[name]!;
    packages[name] = {
      version: p.version,
      asset: p.asset,
      url: p.url,
      size: p.size,
      sha256: p.sha256,
      integrity: p.integrity,
      dependencies: sorted(p.dependencies),
    };
  }
  const out = {
    lockfileVersion: lock.lockfileVersion,
    registry: lock.registry,
    ...(lock.publicKey === undefined ? {} : { publicKey: lock.publicKey }),
    snapshotVersion: lock.snapshotVersion,
    requests: sorted(lock.requests),
    packages,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The lockfile at `path`, or undefined when there is none. */
export async function readLockfile(path: string): Promise<Lockfile | undefined> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.byteLength > MAX_LOCKFILE_BYTES)
      throw new InputError(`the lockfile is larger than ${MAX_LOCKFILE_BYTES} bytes`, { where: path });
    text = bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseLockfile(text, path);
}

/** Write the lockfile atomically (temporary file, then rename). */
export async function writeLockfile(path: string, lock: Lockfile): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, serializeLockfile(lock), { flag: 'wx', mode: 0o644 });
  await rename(tmp, path).catch(async (error: unknown) => {
    await rm(tmp, { force: true });
    throw error;
  });
}

/** Parse and check a lockfile; every problem names the key it is at. */
export function parseLockfile(text: string, file: string): Lockfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InputError(`the lockfile is not JSON: ${(cause as Error).message}`, {
      where: file,
      hint: 'restore it from version control, or delete it and run `granary install SPEC...` again',
      cause,
    });
  }
  const bad = (key: string, what: string): InputError =>
    new InputError(`${key} ${what}`, {
      where: `${file}: ${key}`,
      hint: 'restore the lockfile from version control, or delete it and run `granary install SPEC...` again',
    });
  const record = (v: unknown, key: string): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(key, 'must be an object');
    return v as Record<string, unknown>;
  };
  const onlyKeys = (obj: Record<string, unknown>, key: string, allowed: string[]): void => {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw bad(key, `has the unknown key ${shown(k)}`);
  };
  const string = (v: unknown, key: string, max = 4096): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > max)
      throw bad(key, `must be a non-empty string of at most ${max} characters`);
    return v;
  };
  const count = (v: unknown, key: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(key, 'must be a non-negative integer');
    return v;
  };
  const ranges = (v: unknown, key: string): Record<string, string> => {
    const obj = record(v, key);
    const out = dictionary<string>();
    for (const [name, range] of Object.entries(obj)) {
      const nameProblem = nameError(name);
      if (nameProblem) throw bad(`${key}.${shown(name, 40)}`, `is not a package name: ${nameProblem}`);
      const rangeProblem = rangeReadError(range);
      if (rangeProblem) throw bad(`${key}.${name}`, rangeProblem);
      out[name] = range as string;
    }
    return out;
  };

  const top = record(value, 'the lockfile');
  onlyKeys(top, 'the lockfile', [
    'lockfileVersion',
    'registry',
    'publicKey',
    'snapshotVersion',
    'requests',
    'packages',
  ]);
  if (top.lockfileVersion !== LOCKFILE_VERSION) {
    throw new InputError(
      `lockfileVersion is ${String(JSON.stringify(top.lockfileVersion)).slice(0, 40)}; this granary reads version ${LOCKFILE_VERSION}`,
      {
        where: `${file}: lockfileVersion`,
        hint: 'a newer granary wrote it: upgrade granary, or delete the lockfile and install again',
      },
    );
  }
  const lock: Lockfile = {
    lockfileVersion: LOCKFILE_VERSION,
    registry: string(top.registry, 'registry'),
    snapshotVersion: count(top.snapshotVersion, 'snapshotVersion'),
    requests: ranges(top.requests, 'requests'),
    packages: dictionary(),
  };
  if (top.publicKey !== undefined) {
    if (typeof top.publicKey !== 'string' || !/^ed25519:[A-Za-z0-9+/]{43}=$/.test(top.publicKey))
      throw bad('publicKey', 'must look like ed25519:<44 base64 characters>');
    lock.publicKey = top.publicKey;
  }
  for (const [name, raw] of Object.entries(record(top.packages, 'packages'))) {
    const nameProblem = nameError(name);
    if (nameProblem) throw bad(`packages.${shown(name, 40)}`, `is not a package name: ${nameProblem}`);
    const key = `packages.${name}`;
    const p = record(raw, key);
    onlyKeys(p, key, ['version', 'asset', 'url', 'size', 'sha256', 'integrity', 'dependencies']);
    const version = string(p.version, `${key}.version`, 64);
    const versionProblem = versionError(version);
    if (versionProblem) throw bad(`${key}.version`, versionProblem);
    const asset = string(p.asset, `${key}.asset`, 512);
    const assetProblem = assetPathError(asset);
    if (assetProblem) throw bad(`${key}.asset`, assetProblem);
    const sha256 = string(p.sha256, `${key}.sha256`, 64);
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw bad(`${key}.sha256`, 'must be 64 lowercase hex digits');
    const integrity = string(p.integrity, `${key}.integrity`, 100);
    if (hexFromIntegrity(integrity) !== sha256)
      throw bad(`${key}.integrity`, 'must be sha256-<base64> of the same digest as sha256');
    lock.packages[name] = {
      version,
      asset,
      url: string(p.url, `${key}.url`),
      size: count(p.size, `${key}.size`),
      sha256,
      integrity,
      dependencies: ranges(p.dependencies ?? {}, `${key}.dependencies`),
    };
  }
  return lock;
}
