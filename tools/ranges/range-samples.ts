/**
 * Ranges and versions drawn from the grammar of docs/ranges.md with a seeded generator, for the conformance
 * vectors (generate-vectors.ts) and the agreement test with node-semver (test/core/ranges.test.ts).
 */

/** A deterministic generator of numbers in [0, 1) (mulberry32): the same seed gives the same samples. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// Small numbers collide often, so comparators share MAJOR.MINOR.PATCH with versions and with each other.
const NUMBERS = ['0', '0', '1', '1', '2', '3', '10'];
const PRERELEASES = ['0', '1', 'alpha', 'alpha.1', 'alpha.beta', 'beta', 'beta.2', 'beta.11', 'rc.1', 'x-y.0'];
const OPERATORS = ['', '>=', '>', '<=', '<', '^', '~'] as const;

/** A version `M.m.p` or `M.m.p-pre`. */
export function sampleVersion(random: Random): string {
  const core = `${pick(random, NUMBERS)}.${pick(random, NUMBERS)}.${pick(random, NUMBERS)}`;
  return random() < 0.35 ? `${core}-${pick(random, PRERELEASES)}` : core;
}

function sampleTerm(random: Random): string {
  const r = random();
  // The lowest bounds, which node-semver reads as "any version" (docs/ranges.md).
  if (r < 0.04) return pick(random, ['>=0.0.0', '>=0.0.0-0']);
  if (r < 0.1) return `${pick(random, NUMBERS)}.x`;
  if (r < 0.2) return `${pick(random, NUMBERS)}.${pick(random, NUMBERS)}.x`;
  return `${pick(random, OPERATORS)}${sampleVersion(random)}`;
}

/** A range of the grammar in normal form: `*`, or one to three sets of one to three terms. */
export function sampleRange(random: Random): string {
  if (random() < 0.03) return '*';
  const sets: string[] = [];
  const count = random() < 0.75 ? 1 : random() < 0.8 ? 2 : 3;
  for (let s = 0; s < count; s++) {
    const terms: string[] = [];
    const size = random() < 0.45 ? 1 : random() < 0.8 ? 2 : 3;
    for (let t = 0; t < size; t++) terms.push(sampleTerm(random));
    sets.push(terms.join(' '));
  }
  return sets.join(' || ');
}

/**
 * The same range spelled as node-semver also reads it (a leading `v` or `=`, spaces after operators, extra
 * spaces, build metadata, `~>`, `X` and `*` wildcards, partial versions, `*` beside other terms): its normal
 * form is `range`.
 */
export function respell(random: Random, range: string): string {
  if (range === '*') return pick(random, ['x', 'X', '*.*', 'x.x.x', ' * ', '* || 1.x', '^1.0.0 || *']);
  const sets = range.split(' || ').map((set) =>
    set
      .split(' ')
      .map((term) => {
        const x = /^(\d+)\.(?:(\d+)\.)?x$/.exec(term);
        if (x) {
          const wild = pick(random, ['x', 'X', '*']);
          const [M, m] = [x[1]!, x[2]];
          if (m === undefined)
            return pick(random, [M, `${M}.${wild}`, `${M}.${wild}.${wild}`, `=${M}.x`, `^${M}`, `~${M}.x`]);
          return pick(random, [
            `${M}.${m}`,
            `${M}.${m}.${wild}`,
            `~${M}.${m}`,
            M === '0' ? `^0.${m}` : `~>${M}.${m}.x`,
          ]);
        }
        const [, op = '', version = ''] = /^(>=|<=|>|<|\^|~)?(.*)$/.exec(term)!;
        // ">=v0.0.0" is the one spelling node-semver reads unlike its normal form (docs/ranges.md).
        let out = random() < 0.2 && !(op === '>=' && version.startsWith('0.0.0')) ? `v${version}` : version;
        if (random() < 0.2) out += pick(random, ['+build.5', '+001', '+sha.abc-1']);
        const operator = op === '~' && random() < 0.3 ? '~>' : op === '' && random() < 0.2 ? '=' : op;
        const space = operator !== '' && random() < 0.3 ? ' ' : '';
        return `${operator}${space}${out}`;
      })
      .join(random() < 0.2 ? '  ' : ' '),
  );
  const joined = sets.join(pick(random, [' || ', '||', '  ||   ']));
  return random() < 0.1 ? ` ${joined}\t` : joined;
}

/** Versions worth testing against `range`: each version it names, its neighbours, prereleases of those, and a few others. */
export function versionsNear(random: Random, range: string): string[] {
  const out = new Set<string>();
  for (const m of range.matchAll(/(\d+)\.(\d+|x)(?:\.(\d+|x))?(?:-([0-9A-Za-z.-]+))?/g)) {
    const [M, m2, p] = [
      Number(m[1]),
      m[2] === 'x' ? 0 : Number(m[2]),
      m[3] === undefined || m[3] === 'x' ? 0 : Number(m[3]),
    ];
    const cores = [`${M}.${m2}.${p}`, `${M}.${m2}.${p + 1}`, `${M}.${m2 + 1}.0`, `${M + 1}.0.0`];
    if (p > 0) cores.push(`${M}.${m2}.${p - 1}`);
    for (const core of cores) {
      out.add(core);
      if (random() < 0.5) out.add(`${core}-${pick(random, PRERELEASES)}`);
    }
    if (m[4] !== undefined) {
      out.add(`${M}.${m2}.${p}-${m[4]}`);
      out.add(`${M}.${m2}.${p}-${m[4]}.1`);
    }
  }
  for (let i = 0; i < 3; i++) out.add(sampleVersion(random));
  return [...out];
}
