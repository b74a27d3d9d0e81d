/**
 * A PubGrub version solver (Weizenbaum's algorithm, as in Dart's pub): unit propagation over
 * incompatibilities, decisions for the highest allowed version, and conflict resolution that
 * learns a new incompatibility and backjumps. When it fails, the incompatibility it derived
 * "root cannot be selected" carries the derivation tree that explain.ts turns into prose.
 * What it chooses depends on the requests and the registry, never on the order of the requests
 * (docs/ranges.md, "Which versions are chosen"): packages are decided in name order.
 */
import type { Request } from '../types.js';
import { incompatibility, isFailure, ROOT, type Cause, type Incompatibility } from './incompatibility.js';
import { rangeMask, rootVersions, type PackageVersions } from './package-versions.js';
import { PartialSolution } from './partial-solution.js';
import { difference, implies, negate, relation, type Term } from './term.js';

/** The solver proved that the request has no solution; `incompatibility` is the root of the proof. */
export class SolveFailure extends Error {
  constructor(readonly incompatibility: Incompatibility) {
    super('no solution');
  }
}

export interface SolverInput {
  requests: Request[];
  /** The choosable versions of a package (loaded once, then cached by the solver). */
  load(name: string): Promise<PackageVersions>;
  /** Locked versions are tried first when still allowed. */
  locked?: ReadonlyMap<string, string>;
}

const CONFLICT = Symbol('conflict');

export class Solver {
  readonly universes = new Map<string, PackageVersions>();
  private readonly loading = new Map<string, Promise<PackageVersions>>();
  private readonly byPackage = new Map<string, Incompatibility[]>();
  private readonly dependencyCache = new Map<string, Incompatibility>();
  private readonly added = new Set<number>();
  private readonly solution: PartialSolution;
  private readonly allOf = (name: string): bigint => this.universes.get(name)!.all;

  private readonly requests: Request[];

  constructor(private readonly input: SolverInput) {
    // The same requests in any order are the same problem.
    this.requests = [...input.requests].sort((a, b) => byName(a.name, b.name) || byName(a.range, b.range));
    this.universes.set(ROOT, rootVersions());
    this.solution = new PartialSolution(this.allOf);
  }

  /** Package name → index (into its PackageVersions) of the chosen version. Throws SolveFailure. */
  async solve(): Promise<Map<string, number>> {
    await Promise.all(this.requests.map((r) => this.ensure(r.name)));
    this.add(this.make([{ name: ROOT, positive: false, bits: 1n }], { kind: 'root' }));
    let next: string | undefined = ROOT;
    while (next !== undefined) {
      this.propagate(next);
      next = await this.decideNext();
    }
    const picks = new Map<string, number>();
    for (const [name, index] of this.solution.decisions) if (name !== ROOT) picks.set(name, index);
    return picks;
  }

  private ensure(name: string): Promise<PackageVersions> {
    let p = this.loading.get(name);
    if (!p) {
      p = this.input.load(name).then((pv) => {
        this.universes.set(name, pv);
        return pv;
      });
      this.loading.set(name, p);
    }
    return p;
  }

  private make(terms: Term[], cause: Cause): Incompatibility {
    return incompatibility(terms, cause, this.allOf);
  }

  private add(i: Incompatibility): void {
    if (this.added.has(i.id)) return;
    this.added.add(i.id);
    for (const t of i.terms) {
      let list = this.byPackage.get(t.name);
      if (!list) this.byPackage.set(t.name, (list = []));
      list.push(i);
    }
  }

  private propagate(start: string): void {
    const changed = new Set([start]);
    while (changed.size > 0) {
      const name: string = changed.values().next().value!;
      changed.delete(name);
      const list = this.byPackage.get(name) ?? [];
      // Newest first: learned incompatibilities are the most likely to apply.
      for (let i = list.length - 1; i >= 0; i--) {
        const result = this.propagateOne(list[i]!);
        if (result === CONFLICT) {
          const rootCause = this.resolveConflict(list[i]!);
          changed.clear();
          const derived = this.propagateOne(rootCause);
          if (typeof derived === 'string') changed.add(derived);
          break;
        }
        if (typeof result === 'string') changed.add(result);
      }
    }
  }

  /** Derive from `i` if all its terms but one hold: returns the package derived, CONFLICT if all hold, else undefined. */
  private propagateOne(i: Incompatibility): string | typeof CONFLICT | undefined {
    let unsatisfied: Term | undefined;
    for (const t of i.terms) {
      const r = relation(this.solution.known.get(t.name), t, this.allOf(t.name));
      if (r === 'contradicted') return undefined;
      if (r === 'inconclusive') {
        if (unsatisfied) return undefined;
        unsatisfied = t;
      }
    }
    if (!unsatisfied) return CONFLICT;
    this.solution.derive(negate(unsatisfied), i);
    return unsatisfied.name;
  }

  private resolveConflict(start: Incompatibility): Incompatibility {
    let current = start;
    let learned = false;
    for (;;) {
      if (isFailure(current)) throw new SolveFailure(current);
      let mostRecentTerm: Term | undefined;
      let mostRecent: ReturnType<PartialSolution['satisfier']> | undefined;
      let diff: Term | undefined;
      let previousLevel = 1;
      for (const term of current.terms) {
        const satisfier = this.solution.satisfier(term);
        if (mostRecent === undefined) {
          mostRecent = satisfier;
          mostRecentTerm = term;
        } else if (mostRecent.index < satisfier.index) {
          previousLevel = Math.max(previousLevel, mostRecent.level);
          mostRecent = satisfier;
          mostRecentTerm = term;
          diff = undefined;
        } else {
          previousLevel = Math.max(previousLevel, satisfier.level);
        }
        if (mostRecentTerm === term) {
          diff = difference(mostRecent.term, term, this.allOf(term.name));
          if (diff) previousLevel = Math.max(previousLevel, this.solution.satisfier(negate(diff)).level);
        }
      }
      const satisfier = mostRecent!;
      if (previousLevel < satisfier.level || satisfier.cause === undefined) {
        this.solution.backtrack(previousLevel);
        if (learned) this.add(current);
        return current;
      }
      const terms = [
        ...current.terms.filter((t) => t !== mostRecentTerm),
        ...satisfier.cause.terms.filter((t) => t.name !== satisfier.term.name),
      ];
      if (diff) terms.push(negate(diff));
      current = this.make(terms, { kind: 'conflict', conflict: current, other: satisfier.cause });
      learned = true;
    }
  }

  /**
   * Pick the next package and version; returns the package touched, or undefined when every needed package is
   * decided. The package: of the needed, undecided ones, the first by name among those with at most one allowed
   * version (they cannot branch, and they fail fast), else the first by name; never the order they were found in.
   */
  private async decideNext(): Promise<string | undefined> {
    let chosen: Term | undefined;
    let single: Term | undefined;
    for (const [name, term] of this.solution.known) {
      if (!term.positive || this.solution.decisions.has(name)) continue;
      const real = term.bits & this.universes.get(name)!.real;
      if ((real & (real - 1n)) === 0n) {
        if (!single || byName(name, single.name) < 0) single = term;
      } else if (!chosen || byName(name, chosen.name) < 0) chosen = term;
    }
    chosen = single ?? chosen;
    if (!chosen) return undefined;
    const pv = this.universes.get(chosen.name)!;
    const index = this.pickVersion(pv, chosen.bits & pv.real);
    if (index === undefined) {
      this.add(this.make([chosen], { kind: 'no-versions' }));
      return chosen.name;
    }
    // A package's dependency on a range of itself that its own version satisfies says nothing.
    const dependencies = (await this.dependenciesOf(pv, index)).filter(
      (i) => !i.terms.some((t) => t.positive && (t.bits & this.allOf(t.name)) === 0n),
    );
    let conflict = false;
    for (const i of dependencies) {
      this.add(i);
      // Would deciding this version make the incompatibility fully satisfied? Then let propagation act instead.
      conflict ||= i.terms.every((t) => {
        if (t.name === pv.name) return t.positive === (((t.bits >> BigInt(index)) & 1n) === 1n);
        const known = this.solution.known.get(t.name);
        return known !== undefined && implies(known, t);
      });
    }
    if (!conflict) this.solution.decide(pv.name, index, 1n << BigInt(index));
    return pv.name;
  }

  /** The locked version if it is still allowed, else the highest allowed one. */
  private pickVersion(pv: PackageVersions, allowed: bigint): number | undefined {
    if (allowed === 0n) return undefined;
    const locked = this.input.locked?.get(pv.name);
    if (locked !== undefined) {
      const i = pv.versions.indexOf(locked);
      if (i >= 0 && (allowed >> BigInt(i)) & 1n) return i;
    }
    for (let i = pv.versions.length - 1; i >= 0; i--) if ((allowed >> BigInt(i)) & 1n) return i;
    return undefined;
  }

  /**
   * "pkg at these versions depends on dep range": one incompatibility per dependency, covering the
   * contiguous run of versions that declare the same range (fewer, broader facts; clearer explanations).
   */
  private async dependenciesOf(pv: PackageVersions, index: number): Promise<Incompatibility[]> {
    if (pv.name === ROOT) {
      await Promise.all(this.requests.map((r) => this.ensure(r.name)));
      return this.requests.map((r, n) =>
        this.cached(`${ROOT}\0${n}`, () => this.dependency({ name: ROOT, positive: true, bits: 1n }, r.name, r.range)),
      );
    }
    const deps = pv.lines[index]!.dependencies;
    const names = Object.keys(deps).sort();
    await Promise.all(names.map((d) => this.ensure(d)));
    return names.map((dep) => {
      const range = deps[dep]!;
      let lo = index;
      let hi = index;
      while (lo > 0 && pv.lines[lo - 1]!.dependencies[dep] === range) lo--;
      while (hi < pv.lines.length - 1 && pv.lines[hi + 1]!.dependencies[dep] === range) hi++;
      const bits = ((1n << BigInt(hi + 1)) - 1n) ^ ((1n << BigInt(lo)) - 1n);
      return this.cached(`${pv.name}\0${dep}\0${lo}`, () =>
        this.dependency({ name: pv.name, positive: true, bits }, dep, range),
      );
    });
  }

  private dependency(depender: Term, dep: string, range: string): Incompatibility {
    const target = this.universes.get(dep)!;
    return this.make(
      [depender, { name: dep, positive: false, bits: rangeMask(target, range), label: range }],
      dep === depender.name ? { kind: 'dependency', selfRange: range } : { kind: 'dependency' },
    );
  }

  private cached(key: string, build: () => Incompatibility): Incompatibility {
    let i = this.dependencyCache.get(key);
    if (!i) this.dependencyCache.set(key, (i = build()));
    return i;
  }
}

/** Code-unit order of names (ASCII for package names): the order decisions are made in. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
