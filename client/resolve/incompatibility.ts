/** PubGrub incompatibilities: sets of terms that cannot all hold, with the reason each is known. */
import { intersect, type Term } from './term.js';

export const ROOT = '';

export type Cause =
  | { kind: 'root' }
  /** `selfRange`: a package's range on itself, which merging leaves no term to show. */
  | { kind: 'dependency'; selfRange?: string }
  | { kind: 'no-versions' }
  | { kind: 'conflict'; conflict: Incompatibility; other: Incompatibility };

export interface Incompatibility {
  id: number;
  terms: Term[];
  cause: Cause;
}

let counter = 0;

/** Build an incompatibility; terms of one package are merged, and a derived one drops "root is selected" (always true). */
export function incompatibility(terms: Term[], cause: Cause, allOf: (name: string) => bigint): Incompatibility {
  const merged = new Map<string, Term>();
  for (const t of terms) {
    const seen = merged.get(t.name);
    merged.set(t.name, seen ? intersect(seen, t, allOf(t.name)) : t);
  }
  let list = [...merged.values()];
  if (cause.kind === 'conflict' && list.length > 1) list = list.filter((t) => !(t.positive && t.name === ROOT));
  return { id: ++counter, terms: list, cause };
}

/** The search has failed when nothing, or only "root is selected", remains. */
export function isFailure(i: Incompatibility): boolean {
  return i.terms.length === 0 || (i.terms.length === 1 && i.terms[0]!.positive && i.terms[0]!.name === ROOT);
}
