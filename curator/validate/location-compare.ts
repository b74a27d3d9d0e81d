/** Whether two source locations name the same place (GitHub owner/repo compare case-insensitively). */
import type { Location } from '../../schema/types.js';

/** A comparable form of a location. */
export function locationKey(location: Location): string {
  const subdir = location.subdir ?? '';
  if ('github' in location) return `github:${location.github.toLowerCase()}#${subdir}`;
  return `git:${location.git}#${subdir}`;
}

export function sameLocation(a: Location, b: Location): boolean {
  return locationKey(a) === locationKey(b);
}

/** Whether two login lists hold the same people. */
export function sameLogins(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}
