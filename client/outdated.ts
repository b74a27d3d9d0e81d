/**
 * `granary outdated`: for each dependency of granary.yaml (and with `all`, each locked package), the
 * version locked, the newest its range admits, the newest published, and whether the locked one was
 * deprecated, yanked or unpublished since.
 */
import pLimit from 'p-limit';
import { UsageError } from '../core/errors.js';
import { satisfies } from '../core/ranges.js';
import { compareVersions } from '../core/versions.js';
import type { IndexLine } from '../schema/types.js';
import { latestVersion } from './info.js';
import { collectWarnings, DEFAULT_DEPS, readProject, type ClientDeps, type ProjectOptions } from './project.js';
import { openProjectRegistry } from './project-registry.js';

const INDEX_READS_AT_ONCE = 16;

export interface OutdatedOptions extends ProjectOptions {
  /** Every locked package, not only the dependencies of granary.yaml. */
  all?: boolean;
}

export interface OutdatedPackage {
  name: string;
  /** `direct`: a dependency in granary.yaml; `transitive`: locked because other packages need it. */
  kind: 'direct' | 'transitive';
  /** The ranges it must satisfy: granary.yaml's for a direct dependency, its dependents' (from the lockfile) for another. */
  ranges: string[];
  /** The locked version; null when the lockfile has none. */
  current: string | null;
  /** The newest version (not yanked or unpublished) every range admits; null when none does. */
  wanted: string | null;
  /** The newest version that is not a prerelease, yanked or unpublished; null when there is none. */
  latest: string | null;
  /** What the index says of the current version now. */
  deprecated?: string;
  yanked?: boolean;
  unpublished?: boolean;
  /** A newer version is wanted or published, the current one is gone from the index, or nothing is locked. */
  outdated: boolean;
}

export interface OutdatedReport {
  registry: string;
  snapshotVersion: number;
  packages: OutdatedPackage[];
  warnings: string[];
}

/** Compare the lockfile with the index. Reads the index; changes nothing. */
export async function outdated(
  options: OutdatedOptions,
  deps: Pick<ClientDeps, 'openRegistry'> = DEFAULT_DEPS,
): Promise<OutdatedReport> {
  const { warnings, warn } = collectWarnings(options.warn);
  const project = await readProject(options);
  const { lock } = project;
  if (!project.manifest && !lock)
    throw new UsageError(`nothing to check: there is no ${project.manifestShown} and no lockfile`, {
      where: project.manifestPath,
      hint: 'add dependencies with `granary install NAME`',
    });
  const opened = await openProjectRegistry(project, options, deps, warn);
  const direct = Object.keys(project.requests);
  const transitive = options.all
    ? Object.keys(lock?.packages ?? {}).filter((name) => !Object.hasOwn(project.requests, name))
    : [];
  const names = [...direct, ...transitive].sort();
  const limit = pLimit(INDEX_READS_AT_ONCE);
  const lines = await Promise.all(names.map((name) => limit(() => opened.registry.lines(name))));
  const packages = names.map((name, i): OutdatedPackage => {
    const isDirect = Object.hasOwn(project.requests, name);
    const ranges = isDirect
      ? [project.requests[name]!]
      : Object.values(lock?.packages ?? {}).flatMap((p) =>
          Object.hasOwn(p.dependencies, name) ? [p.dependencies[name]!] : [],
        );
    return compare(name, isDirect ? 'direct' : 'transitive', ranges, lock?.packages[name]?.version ?? null, lines[i]!);
  });
  return { registry: opened.spec, snapshotVersion: opened.snapshotVersion, packages, warnings };
}

/** One row: a pure function of the locked version and the package's index lines. */
export function compare(
  name: string,
  kind: OutdatedPackage['kind'],
  ranges: string[],
  current: string | null,
  lines: IndexLine[],
): OutdatedPackage {
  let wanted: string | null = null;
  for (let i = lines.length - 1; i >= 0 && wanted === null; i--) {
    const l = lines[i]!;
    if (!l.yanked && !l.unpublished && ranges.every((r) => satisfies(l.version, r))) wanted = l.version;
  }
  const latest = latestVersion(lines)?.version ?? null;
  const line = current === null ? undefined : lines.find((l) => l.version === current);
  const newer = (v: string | null): boolean => v !== null && current !== null && compareVersions(v, current) > 0;
  const gone = line === undefined || line.yanked === true || line.unpublished !== undefined;
  return {
    name,
    kind,
    ranges,
    current,
    wanted,
    latest,
    ...(line?.deprecated ? { deprecated: line.deprecated } : {}),
    ...(line?.yanked ? { yanked: true } : {}),
    ...(line?.unpublished ? { unpublished: true } : {}),
    outdated: current === null || newer(wanted) || newer(latest) || (gone && wanted !== null && wanted !== current),
  };
}
