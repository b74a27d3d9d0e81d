/**
 * A project: granary.yaml (what it asks for) and granary.lock (what it got, beside it), and the options
 * install, update, remove and outdated share. The registry it installs from is project-registry.ts.
 */
import { dirname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path';
import { dictionary } from '../core/dictionary.js';
import { normalizeRange } from '../core/ranges.js';
import { DEFAULT_INSTALL_DIR, LOCKFILE_NAME, MANIFEST_NAME } from './defaults.js';
import { readLockfile, type Lockfile } from './lockfile.js';
import { readManifest, type Manifest } from './manifest.js';
import type { PlaceOptions } from './place-packages.js';
import { openRegistry } from './registry.js';
import { parseSpec, resolve } from './resolve/resolve.js';
import type { OpenOptions, Registry, Request, Resolution, ResolveOptions } from './types.js';

/** The read side the project commands call (passed in, so tests and other front ends can supply their own). */
export interface ClientDeps {
  openRegistry(spec: string, options: OpenOptions): Promise<Registry>;
  resolve(registry: Registry, requests: Request[], options: ResolveOptions): Promise<Resolution>;
  parseSpec(spec: string): Request;
}

/** The real registry reader and resolver; tests inject others. */
export const DEFAULT_DEPS: ClientDeps = { openRegistry, resolve, parseSpec };

export interface ProjectOptions {
  cwd: string;
  /** The registry spec (relative to cwd); it wins over the lockfile's. */
  registry?: string;
  /** The registry spec (relative to cwd) when neither `registry` nor a lockfile names one. */
  defaultRegistry?: string;
  /** Asset base override (a mirror). */
  assets?: string;
  /** The key to pin; it wins over the lockfile's. */
  trustKey?: string;
  /** The key to pin when neither `trustKey` nor the lockfile gives one. */
  defaultTrustKey?: string;
  /** A pinned root.json (see `OpenOptions.trustRoot`). */
  trustRoot?: Buffer;
  /** Resolve against the index as it was (see `OpenOptions.snapshot`); the lockfile records that snapshot. */
  snapshot?: string;
  /** The lockfile (default `granary.lock`). */
  lockfile?: string;
  /** The manifest (default `granary.yaml` in the lockfile's directory). */
  manifest?: string;
  cacheDir: string;
  warn?: (message: string) => void;
}

/** Where packages go and how they are fetched: the options install, update and remove share. */
export interface PlacementOptions extends ProjectOptions, Omit<PlaceOptions, 'dir'> {
  /** Where packages go (default `granary_packages`, relative to cwd). */
  dir?: string;
}

export interface Project {
  cwd: string;
  lockPath: string;
  manifestPath: string;
  /** The manifest as messages name it (relative to cwd when inside it). */
  manifestShown: string;
  manifest: Manifest | undefined;
  lock: Lockfile | undefined;
  /**
   * What the project asks for: granary.yaml's dependencies; in a project made before granary.yaml
   * existed (a lockfile and no manifest), the lockfile's requests.
   */
  requests: Record<string, string>;
}

/** Read the project's manifest and lockfile (either may be missing). */
export async function readProject(options: Pick<ProjectOptions, 'cwd' | 'lockfile' | 'manifest'>): Promise<Project> {
  const lockPath = resolvePath(options.cwd, options.lockfile ?? LOCKFILE_NAME);
  const manifestPath = options.manifest
    ? resolvePath(options.cwd, options.manifest)
    : join(dirname(lockPath), MANIFEST_NAME);
  const manifestShown = shownPath(manifestPath, options.cwd);
  const [manifest, lock] = await Promise.all([readManifest(manifestPath, manifestShown), readLockfile(lockPath)]);
  return {
    cwd: options.cwd,
    lockPath,
    manifestPath,
    manifestShown,
    manifest,
    lock,
    requests: dictionary(manifest?.requests ?? normalized(lock?.requests ?? {})),
  };
}

/** `path` relative to `cwd` when it is inside it, else as is. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function normalized(requests: Record<string, string>): Record<string, string> {
  return dictionary(
    Object.entries(requests).map(([name, range]): [string, string] => [name, normalizeRange(range) ?? range]),
  );
}

/** How the manifest's requests differ from the lockfile's (ranges compared in normal form); [] when they agree. */
export function requestDifferences(
  manifest: Record<string, string>,
  locked: Record<string, string>,
  manifestName: string,
): string[] {
  const lockedNormal = normalized(locked);
  const out: string[] = [];
  for (const [name, range] of Object.entries(manifest)) {
    const had = lockedNormal[name];
    if (had === undefined) out.push(`${name}@${range} is in ${manifestName} but not in the lockfile's requests`);
    else if (had !== range) out.push(`${name} is ${range} in ${manifestName}, ${had} in the lockfile`);
  }
  for (const [name, range] of Object.entries(lockedNormal))
    if (!Object.hasOwn(manifest, name))
      out.push(`${name}@${range} is in the lockfile's requests but not in ${manifestName}`);
  return out;
}

/** Options of placePackages from the options of a command. */
export function placeOptionsOf(options: PlacementOptions): PlaceOptions {
  return {
    cwd: options.cwd,
    dir: resolvePath(options.cwd, options.dir ?? DEFAULT_INSTALL_DIR),
    cacheDir: options.cacheDir,
    ...(options.force === undefined ? {} : { force: options.force }),
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.maxTarballBytes === undefined ? {} : { maxTarballBytes: options.maxTarballBytes }),
    ...(options.read === undefined ? {} : { read: options.read }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  };
}

/** Warnings kept for the report and passed on as they come. */
export function collectWarnings(onWarning?: (message: string) => void): {
  warnings: string[];
  warn: (message: string) => void;
} {
  const warnings: string[] = [];
  return {
    warnings,
    warn: (message) => {
      warnings.push(message);
      onWarning?.(message);
    },
  };
}
