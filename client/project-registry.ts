/**
 * The registry a project installs from: the one given, else the one its lockfile records (relative to the
 * lockfile), else the default given; the lockfile's key pinned; an index older than the lockfile refused.
 */
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { TrustError, UsageError } from '../core/errors.js';
import { LockfileMismatchError, type Lockfile } from './lockfile.js';
import type { ClientDeps, Project, ProjectOptions } from './project.js';
import type { Registry } from './types.js';

/** An opened registry and what the lockfile records of it. */
export interface OpenedRegistry {
  registry: Registry;
  /** The spec opened (as given, or the lockfile's). */
  spec: string;
  /** The spec as the lockfile records it (relative to the lockfile). */
  recorded: string;
  snapshotVersion: number;
}

/**
 * Open the registry: `registry`, else the lockfile's (relative to the lockfile), else `defaultRegistry`;
 * the key pinned is `trustKey`, else the lockfile's, else `defaultTrustKey`; an index older than the
 * lockfile is refused.
 */
export async function openProjectRegistry(
  project: Project,
  options: ProjectOptions,
  deps: Pick<ClientDeps, 'openRegistry'>,
  warn: (message: string) => void,
  frozen = false,
): Promise<OpenedRegistry> {
  const { lock, lockPath } = project;
  const lockDir = dirname(lockPath);
  const chosen = chooseRegistry(options, lock, lockDir);
  if (options.trustKey && lock?.publicKey && options.trustKey.trim() !== lock.publicKey) {
    if (frozen)
      throw new LockfileMismatchError(
        [`--trust-key ${options.trustKey.trim()} differs from the lockfile's key ${lock.publicKey}`],
        lockPath,
      );
    warn(`--trust-key differs from the key in the lockfile (${lock.publicKey}); using --trust-key`);
  }
  const registry = await deps.openRegistry(chosen.spec, {
    cwd: chosen.cwd,
    trustKey: options.trustKey ?? lock?.publicKey ?? options.defaultTrustKey,
    ...(options.trustRoot === undefined ? {} : { trustRoot: options.trustRoot }),
    ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }),
    cacheDir: options.cacheDir,
    ...(options.assets === undefined ? {} : { assets: absoluteLocation(options.assets, options.cwd) }),
    warn,
  });
  // An older snapshot asked for by name is not a rollback.
  if (lock && options.snapshot === undefined) checkNotOlder(lock, registry);
  return { registry, spec: chosen.spec, recorded: chosen.recorded, snapshotVersion: registry.snapshot?.version ?? 0 };
}

function chooseRegistry(
  options: ProjectOptions,
  lock: Lockfile | undefined,
  lockDir: string,
): { spec: string; cwd: string; recorded: string } {
  const given = options.registry ?? (lock ? undefined : options.defaultRegistry);
  if (given !== undefined)
    return { spec: given, cwd: options.cwd, recorded: relocateSpec(given, options.cwd, lockDir) };
  if (lock) return { spec: lock.registry, cwd: lockDir, recorded: lock.registry };
  throw noRegistryGiven();
}

/** The error when no registry is named anywhere. */
export function noRegistryGiven(): UsageError {
  return new UsageError('no registry given', {
    hint: 'pass --registry (an https:// URL, a directory of index files, or a git clone), set GRANARY_REGISTRY, or set `registry:` in a config file (docs/client.md, "Configuration")',
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
