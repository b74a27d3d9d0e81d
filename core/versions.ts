/** Versions: SemVer 2.0 without build metadata (ranges are core/ranges.ts). */
import semver from 'semver';

export const MAX_VERSION_LENGTH = 64;

/** Why `version` is not acceptable, or undefined. */
export function versionError(version: unknown): string | undefined {
  if (typeof version !== 'string') return 'a version must be a string such as "1.2.3" (quote it in YAML)';
  if (version.length > MAX_VERSION_LENGTH) return `a version is at most ${MAX_VERSION_LENGTH} characters`;
  if (version.includes('+')) return 'build metadata ("+...") is not allowed in a version';
  const parsed = semver.valid(version, { loose: false });
  if (parsed === null || parsed !== version)
    return `"${version}" is not a SemVer 2.0 version (expected MAJOR.MINOR.PATCH, e.g. "1.0.0")`;
  return undefined;
}

// MAJOR.MINOR.PATCH without prerelease, each part small enough to be an exact number: most versions of a registry.
const PLAIN = /^(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})$/;
const plainParts = new Map<string, readonly [number, number, number] | null>();

function plain(version: string): readonly [number, number, number] | null {
  let hit = plainParts.get(version);
  if (hit === undefined) {
    const m = PLAIN.exec(version);
    hit = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
    // Bounded: a long-running curator sees many versions, and recomputing is cheap.
    if (plainParts.size > 100_000) plainParts.clear();
    plainParts.set(version, hit);
  }
  return hit;
}

/** Compare two valid versions by SemVer precedence (-1, 0, 1); plain versions are compared without building SemVer objects. */
export function compareVersions(a: string, b: string): number {
  const x = plain(a);
  const y = x && plain(b);
  if (!x || !y) return semver.compare(a, b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** Sort versions ascending by SemVer precedence (a new array). */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort(compareVersions);
}

export function isPrerelease(version: string): boolean {
  return semver.prerelease(version) !== null;
}

/** Versions as a person reads them in a message: newest first, at most `max`, then `…and N more`. */
export function listVersions(versions: Iterable<string>, max = 10): string {
  const newest = sortVersions(versions).reverse();
  const shown = newest.slice(0, max).join(', ');
  return newest.length > max ? `${shown} …and ${newest.length - max} more` : shown;
}
