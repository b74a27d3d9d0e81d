/**
 * The versions of one package the solver may choose from, and version sets as bit masks over them.
 * Bit i is the i-th selectable version (ascending). One extra bit, never selectable, stands for
 * "a version the index does not have": a range that matches no selectable version maps to it
 * alone, so "needs b >=9" stays a real constraint (b cannot be chosen) instead of an empty,
 * always-true one, while ranges that match real versions keep their exact, disjoint masks.
 */
import { rangeMatcher } from '../../core/ranges.js';
import type { IndexLine } from '../../schema/types.js';

export type ExclusionReason = 'yanked' | 'unpublished';

export interface PackageVersions {
  name: string;
  /** Selectable versions, ascending. */
  versions: string[];
  /** The line of each selectable version. */
  lines: IndexLine[];
  /** Whether the index knows the package at all. */
  exists: boolean;
  /** When it does not: the names it may have meant (`did you mean …?`), found once a resolution fails. */
  suggestion?: string;
  /** Versions left out, and why (reported when no version fits). */
  excluded: Array<{ version: string; reason: ExclusionReason }>;
  /** Every real version plus the "not in the index" bit. */
  all: bigint;
  real: bigint;
  /** Range text → its mask (cached). */
  ranges: Map<string, bigint>;
  includePrerelease: boolean;
}

/** The selectable versions of a package: yanked and unpublished ones only when `locked` names them. */
export function packageVersions(
  name: string,
  lines: IndexLine[],
  locked: string | undefined,
  includePrerelease: boolean,
): PackageVersions {
  const kept: IndexLine[] = [];
  const excluded: PackageVersions['excluded'] = [];
  for (const line of lines) {
    const reason: ExclusionReason | undefined = line.unpublished ? 'unpublished' : line.yanked ? 'yanked' : undefined;
    if (reason && line.version !== locked) excluded.push({ version: line.version, reason });
    else kept.push(line);
  }
  const n = BigInt(kept.length);
  const real = (1n << n) - 1n;
  return {
    name,
    versions: kept.map((l) => l.version),
    lines: kept,
    exists: lines.length > 0,
    excluded,
    real,
    all: real | (1n << n),
    ranges: new Map(),
    includePrerelease,
  };
}

/** The solver's root: one version, "your request". */
export function rootVersions(): PackageVersions {
  return {
    name: '',
    versions: ['root'],
    lines: [],
    exists: true,
    excluded: [],
    real: 1n,
    all: 3n,
    ranges: new Map(),
    includePrerelease: false,
  };
}

/** Mask of the versions matching `range`; only the not-in-the-index bit when none does (an invalid range matches none). */
export function rangeMask(pv: PackageVersions, range: string): bigint {
  let mask = pv.ranges.get(range);
  if (mask !== undefined) return mask;
  mask = 0n;
  const matches = rangeMatcher(range, pv.includePrerelease);
  if (matches) {
    for (let i = 0; i < pv.versions.length; i++) if (matches(pv.versions[i]!)) mask |= 1n << BigInt(i);
  }
  if (mask === 0n) mask = pv.all ^ pv.real;
  pv.ranges.set(range, mask);
  return mask;
}

/** Mask of exactly one version (by index). */
export function versionMask(index: number): bigint {
  return 1n << BigInt(index);
}

/** Indices of the real versions in `mask`, ascending. */
export function indicesOf(pv: PackageVersions, mask: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < pv.versions.length; i++) if ((mask >> BigInt(i)) & 1n) out.push(i);
  return out;
}
