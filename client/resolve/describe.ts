/** Terms and incompatibilities as short English, quoting the ranges authors wrote. */
import { rangeMatcher, satisfies } from '../../core/ranges.js';
import { isPrerelease, listVersions } from '../../core/versions.js';
import { ROOT, isFailure, type Incompatibility } from './incompatibility.js';
import type { PackageVersions } from './package-versions.js';
import type { Term } from './term.js';

export type Universes = ReadonlyMap<string, PackageVersions>;

/** A version set as range text: the label it came from, else intervals between the index's versions. */
export function setText(pv: PackageVersions, bits: bigint, label: string | undefined): string {
  if (label !== undefined) return label;
  const real = bits & pv.real;
  if (real === pv.real && pv.versions.length > 0) return '*';
  if (real === 0n) return '(no available version)';
  const v = pv.versions;
  const runs: string[] = [];
  for (let i = 0; i < v.length; i++) {
    if (!((real >> BigInt(i)) & 1n)) continue;
    let j = i;
    while (j + 1 < v.length && (real >> BigInt(j + 1)) & 1n) j++;
    if (i === j) runs.push(v[i]!);
    else
      runs.push(
        [i === 0 ? '' : `>=${v[i]}`, j === v.length - 1 ? '' : `<${v[j + 1]}`].filter(Boolean).join(' ') || '*',
      );
    i = j;
  }
  return runs.join(' || ');
}

/** `a@2.0.0`, `b >=3.0.0 <4.0.0`, `c` (any version), or `every version of c` where that reads better. */
export function termText(t: Term, u: Universes, every = false): string {
  if (t.name === ROOT) return 'your request';
  const pv = u.get(t.name)!;
  const real = t.bits & pv.real;
  if (t.label === undefined && real !== 0n && (real & (real - 1n)) === 0n)
    return `${t.name}@${pv.versions[real.toString(2).length - 1]}`;
  const text = setText(pv, t.bits, t.label);
  if (text === '*') return every ? `every version of ${t.name}` : t.name;
  return `${t.name} ${text}`;
}

/** Why nothing of `t` can be chosen: versions the request would match that are yanked, unpublished or prereleases. */
function exclusionNotes(t: Term, pv: PackageVersions): string[] {
  const range = t.label ?? ((t.bits & pv.real) === pv.real ? '*' : undefined);
  if (range === undefined) return [];
  const notes: string[] = [];
  const matches = (v: string, includePrerelease: boolean) => satisfies(v, range, includePrerelease);
  for (const e of pv.excluded) if (matches(e.version, true)) notes.push(`${pv.name}@${e.version} is ${e.reason}`);
  if (!pv.includePrerelease) {
    const pre = pv.versions.filter((v) => isPrerelease(v) && matches(v, true) && !matches(v, false));
    if (pre.length > 0) notes.push(`${pv.name}@${pre[pre.length - 1]} is a prerelease, used only with --prerelease`);
  }
  if (rangeMatcher(range) === undefined) notes.push(`${JSON.stringify(range)} is not a valid range`);
  return notes;
}

/** One incompatibility as a clause ("a@2.0.0 depends on b >=3.0.0 <4.0.0"). */
export function incompatibilityText(i: Incompatibility, u: Universes): string {
  const terms = i.terms;
  if (i.cause.kind === 'dependency' && terms.length === 2 && terms[0]!.positive && !terms[1]!.positive) {
    const [depender, dependee] = terms as [Term, Term];
    if (depender.name === ROOT) return `you requested ${termText(dependee, u)}`;
    return `${termText(depender, u, true)} depends on ${termText(dependee, u)}`;
  }
  if (i.cause.kind === 'dependency' && i.cause.selfRange !== undefined && terms.length === 1) {
    return `${termText(terms[0]!, u, true)} depends on ${terms[0]!.name} ${i.cause.selfRange}, which it does not satisfy`;
  }
  if (i.cause.kind === 'no-versions' && terms.length === 1) {
    const t = terms[0]!;
    const pv = u.get(t.name)!;
    if (!pv.exists) return `${t.name} is not in the registry${pv.suggestion ? ` (${pv.suggestion})` : ''}`;
    const text = setText(pv, t.bits, t.label);
    const base = text === '*' ? `no version of ${t.name} can be used` : `no version of ${t.name} matches ${text}`;
    const notes = exclusionNotes(t, pv);
    if (text !== '*' && pv.versions.length > 0) notes.push(`published: ${listVersions(pv.versions)}`);
    return notes.length > 0 ? `${base} (${notes.join('; ')})` : base;
  }
  if (isFailure(i)) return 'your request cannot be satisfied';
  if (terms.length === 1) {
    const t = terms[0]!;
    if (t.positive && t.name !== ROOT && termText(t, u, true) === `every version of ${t.name}`)
      return `no version of ${t.name} can be used`;
    return t.positive ? `${termText(t, u, true)} cannot be used` : `${termText(t, u)} is required`;
  }
  const positives = terms.filter((t) => t.positive).map((t) => termText(t, u, true));
  const negatives = terms.filter((t) => !t.positive).map((t) => termText(t, u));
  if (negatives.length === 0) return `${positives.join(' and ')} cannot be used together`;
  if (positives.length === 0)
    return `${negatives.length === 2 ? 'either ' : 'one of '}${negatives.join(' or ')} is required`;
  if (positives.length === 1) return `${positives[0]} requires ${negatives.join(' or ')}`;
  return `if ${positives.join(' and ')} are used then ${negatives.join(' or ')} is required`;
}

/** Two clauses joined, merging "x depends on a" and "x depends on b" into "x depends on both a and b". */
export function andText(a: Incompatibility, b: Incompatibility, u: Universes, aLine?: number, bLine?: number): string {
  // "you requested zz and zz is not in the registry" reads in the order things happen.
  if (a.cause.kind === 'no-versions' && b.cause.kind === 'dependency') return andText(b, a, u, bLine, aLine);
  if (a.cause.kind === 'dependency' && b.cause.kind === 'dependency' && a.terms.length === 2 && b.terms.length === 2) {
    const [da, ta] = a.terms as [Term, Term];
    const [db, tb] = b.terms as [Term, Term];
    if (da.positive && db.positive && da.name === db.name && da.bits === db.bits && !ta.positive && !tb.positive) {
      const both = `both ${termText(ta, u)}${ref(aLine)} and ${termText(tb, u)}${ref(bLine)}`;
      return da.name === ROOT ? `you requested ${both}` : `${termText(da, u, true)} depends on ${both}`;
    }
  }
  return `${incompatibilityText(a, u)}${ref(aLine)} and ${incompatibilityText(b, u)}${ref(bLine)}`;
}

function ref(line: number | undefined): string {
  return line === undefined ? '' : ` (${line})`;
}
