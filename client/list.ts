/**
 * `granary list`: the installed tree, read from the lockfile and the install directory's state only
 * (no index, no network). The dependencies of granary.yaml are the roots; each package's
 * dependencies, as the lockfile records them, are below it. A package already shown is not expanded
 * again. Deprecated and yanked marks are those the index had when the package was installed.
 */
import { resolve as resolvePath } from 'node:path';
import { UsageError } from '../core/errors.js';
import { DEFAULT_INSTALL_DIR } from './defaults.js';
import { readInstallState, type InstallState } from './install-state.js';
import type { Lockfile } from './lockfile.js';
import { readProject, requestDifferences } from './project.js';

export interface ListOptions {
  cwd: string;
  lockfile?: string;
  manifest?: string;
  /** The install directory (default `granary_packages`). */
  dir?: string;
  /** Levels of dependencies below the roots (0: the dependencies of granary.yaml only); default: all. */
  depth?: number;
}

export interface ListedPackage {
  name: string;
  /** The range it was asked for: granary.yaml's for a root, its dependent's below. */
  range: string;
  /** The locked version; null when the lockfile lacks the package. */
  version: string | null;
  /** Whether the install directory holds that version (as its state records it). */
  installed: boolean;
  deprecated?: string;
  yanked?: boolean;
  /** Shown (with its dependencies) earlier in the tree; not expanded again. */
  deduped?: boolean;
  /** Its dependencies; absent when deduped or below the depth asked for. */
  dependencies?: ListedPackage[];
}

export interface ListReport {
  lockfile: string;
  dir: string;
  snapshotVersion: number;
  dependencies: ListedPackage[];
  warnings: string[];
}

/** The installed tree of the project. */
export async function listInstalled(options: ListOptions): Promise<ListReport> {
  const project = await readProject(options);
  const { lock } = project;
  if (!lock)
    throw new UsageError('there is no lockfile: nothing was installed here', {
      where: project.lockPath,
      hint: 'run `granary install` first (or pass --lock)',
    });
  const dir = resolvePath(options.cwd, options.dir ?? DEFAULT_INSTALL_DIR);
  const warnings: string[] = [];
  if (
    project.manifest &&
    requestDifferences(project.manifest.requests, lock.requests, project.manifestShown).length > 0
  )
    warnings.push(`${project.manifestShown} and the lockfile differ: run \`granary install\` to bring them in line`);
  const dependencies = installedTree(lock, lock.requests, await readInstallState(dir), options.depth ?? Infinity);
  return { lockfile: project.lockPath, dir, snapshotVersion: lock.snapshotVersion, dependencies, warnings };
}

/** The tree under `roots`, depth-first in name order; a pure function of the lockfile and the state. */
export function installedTree(
  lock: Lockfile,
  roots: Record<string, string>,
  state: InstallState,
  depth: number,
): ListedPackage[] {
  const expanded = new Set<string>();
  const node = (name: string, range: string, level: number): ListedPackage => {
    const locked = lock.packages[name];
    const record = state.packages[name];
    const installed = locked !== undefined && record?.version === locked.version && record.sha256 === locked.sha256;
    const out: ListedPackage = {
      name,
      range,
      version: locked?.version ?? null,
      installed,
      ...(installed && record.deprecated ? { deprecated: record.deprecated } : {}),
      ...(installed && record.yanked ? { yanked: true } : {}),
    };
    const children = Object.keys(locked?.dependencies ?? {}).sort();
    if (children.length === 0 || level >= depth) return out;
    if (expanded.has(name)) return { ...out, deduped: true };
    expanded.add(name);
    out.dependencies = children.map((child) => node(child, locked!.dependencies[child]!, level + 1));
    return out;
  };
  return Object.keys(roots)
    .sort()
    .map((name) => node(name, roots[name]!, 0));
}
