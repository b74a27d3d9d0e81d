/**
 * Rules about the version numbers themselves (registry.yaml `versions` turns each on or off): a sequential
 * successor of an existing version, a sane first version, prereleases allowed or not, and dependency ranges
 * with an upper bound. Pure: data in, a message out.
 */
import semver from 'semver';
import type { RegistryConfig } from '../../core/registry-config.js';
import { rangeMatcher, satisfies } from '../../core/ranges.js';
import { isPrerelease } from '../../core/versions.js';

/** The release part of a version (`1.2.0-beta.1` → `1.2.0`). */
function release(version: string): string {
  const v = semver.parse(version);
  return v === null ? version : `${v.major}.${v.minor}.${v.patch}`;
}

/** The versions that follow `v` without a gap: its next patch, minor and major. */
export function successors(v: string): string[] {
  const p = semver.parse(v);
  if (p === null) return [];
  return [`${p.major}.${p.minor}.${p.patch + 1}`, `${p.major}.${p.minor + 1}.0`, `${p.major + 1}.0.0`];
}

/**
 * Why `version` skips numbers after the versions the package has (`existing`), or undefined: it must follow
 * the highest earlier release without a gap (`1.2.3` → `1.2.4`, `1.3.0` or `2.0.0`; a prerelease counts as its
 * release). A backport below the highest version follows its own predecessor the same way.
 */
export function skippedVersionError(version: string, existing: readonly string[]): string | undefined {
  const target = release(version);
  const earlier = existing
    .filter((v) => !isPrerelease(v) && semver.valid(v) !== null && semver.lt(v, target))
    .sort(semver.compare);
  const previous = earlier.at(-1);
  if (previous === undefined) return undefined;
  if (existing.some((v) => release(v) === target && v !== version)) return undefined;
  const next = successors(previous);
  if (next.includes(target)) return undefined;
  return `${version} does not follow ${previous} without a gap (the next versions are ${next.join(', ')}): say in the pull request why numbers are skipped and ask a trustee to approve, or choose one of those`;
}

/** Why `version` is not an allowed first version, or undefined. */
export function firstVersionError(version: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(release(version))) return undefined;
  return `a package's first version is one of ${allowed.join(', ')}, not ${version}: start there, or ask a trustee to approve`;
}

/** Why `range` has no upper bound, or undefined. */
export function upperBoundError(dependency: string, range: string): string | undefined {
  if (!rangeMatcher(range)) return undefined;
  if (!satisfies('999999999.0.0', range)) return undefined;
  return `the range ${JSON.stringify(range)} for ${dependency} has no upper bound (this registry requires one): e.g. ^${semver.minVersion(range)?.version ?? '1.0.0'}`;
}

export type VersionSettings = RegistryConfig['versions'];
