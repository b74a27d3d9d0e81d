/** The solver's partial solution: decisions and derivations, each at a decision level, in order. */
import type { Incompatibility } from './incompatibility.js';
import { implies, intersect, type Term } from './term.js';

export interface Assignment {
  term: Term;
  level: number;
  index: number;
  /** The incompatibility it was derived from; undefined for a decision. */
  cause: Incompatibility | undefined;
  /** For a decision: the chosen version's index. */
  version?: number;
}

export class PartialSolution {
  readonly assignments: Assignment[] = [];
  /** Everything known about each package: the intersection of its assignments. */
  readonly known = new Map<string, Term>();
  /** Package → index of the decided version. */
  readonly decisions = new Map<string, number>();
  level = 0;

  constructor(private readonly allOf: (name: string) => bigint) {}

  decide(name: string, version: number, bits: bigint): void {
    this.level++;
    this.decisions.set(name, version);
    this.push({ name, positive: true, bits }, undefined, version);
  }

  derive(term: Term, cause: Incompatibility): void {
    this.push(term, cause);
  }

  private push(term: Term, cause: Incompatibility | undefined, version?: number): void {
    const a: Assignment = { term, level: this.level, index: this.assignments.length, cause };
    if (version !== undefined) a.version = version;
    this.assignments.push(a);
    const seen = this.known.get(term.name);
    this.known.set(term.name, seen ? intersect(seen, term, this.allOf(term.name)) : term);
  }

  /** Undo every assignment above `level`. */
  backtrack(level: number): void {
    const touched = new Set<string>();
    while (this.assignments.length > 0 && this.assignments[this.assignments.length - 1]!.level > level) {
      const a = this.assignments.pop()!;
      touched.add(a.term.name);
      if (a.cause === undefined) this.decisions.delete(a.term.name);
    }
    for (const name of touched) this.known.delete(name);
    for (const a of this.assignments) {
      if (!touched.has(a.term.name)) continue;
      const seen = this.known.get(a.term.name);
      this.known.set(a.term.name, seen ? intersect(seen, a.term, this.allOf(a.term.name)) : a.term);
    }
    this.level = level;
  }

  /** The first assignment at which the assignments so far (for its package) imply `term`. */
  satisfier(term: Term): Assignment {
    let acc: Term | undefined;
    const all = this.allOf(term.name);
    for (const a of this.assignments) {
      if (a.term.name !== term.name) continue;
      acc = acc ? intersect(acc, a.term, all) : a.term;
      if (implies(acc, term)) return a;
    }
    throw new Error(`internal: no assignment satisfies a term of ${term.name}`);
  }
}
