/**
 * PubGrub terms: "the package is selected at a version in S" (positive) or "it is not selected
 * at a version in S" (negative), with S a mask over the package's versions. `label` keeps the
 * range text a term came from, so explanations quote what authors wrote.
 */

export interface Term {
  name: string;
  positive: boolean;
  bits: bigint;
  label?: string | undefined;
}

export type Relation = 'satisfied' | 'contradicted' | 'inconclusive';

/** The term that holds exactly when both hold (same package); `all` is the package's full mask. */
export function intersect(a: Term, b: Term, all: bigint): Term {
  if (a.positive && b.positive) return keepLabel(a, b, { name: a.name, positive: true, bits: a.bits & b.bits });
  if (a.positive) return keepLabel(a, b, { name: a.name, positive: true, bits: a.bits & ~b.bits & all });
  if (b.positive) return keepLabel(a, b, { name: a.name, positive: true, bits: b.bits & ~a.bits & all });
  return keepLabel(a, b, { name: a.name, positive: false, bits: a.bits | b.bits });
}

function keepLabel(a: Term, b: Term, t: Term): Term {
  if (t.positive === a.positive && t.bits === a.bits) return a;
  if (t.positive === b.positive && t.bits === b.bits) return b;
  return t;
}

/** Whether every selection allowed by `a` is allowed by `b`. */
export function implies(a: Term, b: Term): boolean {
  if (a.positive && b.positive) return (a.bits & ~b.bits) === 0n;
  if (a.positive) return (a.bits & b.bits) === 0n;
  if (b.positive) return false;
  return (b.bits & ~a.bits) === 0n;
}

/** Whether no selection is allowed by both. */
export function disjoint(a: Term, b: Term, all: bigint): boolean {
  if (a.positive && b.positive) return (a.bits & b.bits) === 0n;
  if (a.positive) return (a.bits & ~b.bits & all) === 0n;
  if (b.positive) return (b.bits & ~a.bits & all) === 0n;
  return false;
}

/** How what is known about a package (`known`) relates to a term. */
export function relation(known: Term | undefined, term: Term, all: bigint): Relation {
  if (known === undefined) return 'inconclusive';
  if (implies(known, term)) return 'satisfied';
  if (disjoint(known, term, all)) return 'contradicted';
  return 'inconclusive';
}

export function negate(t: Term): Term {
  return { name: t.name, positive: !t.positive, bits: t.bits, label: t.label };
}

/** `a` minus `b`: the selections `a` allows and `b` does not (undefined when none). */
export function difference(a: Term, b: Term, all: bigint): Term | undefined {
  const d = intersect(a, negate(b), all);
  if (d.positive && (d.bits & all) === 0n) return undefined;
  return d;
}
