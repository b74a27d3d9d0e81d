/**
 * Version ranges: the grammar of docs/ranges.md, its one normal form, and matching on the parsed form.
 * Matching agrees with node-semver (`semver.satisfies`) on every range of the grammar; test/core/ranges.test.ts
 * checks that on generated ranges and schema/range-vectors.json publishes the cases for other clients.
 */
import semver from 'semver';

export const MAX_RANGE_LENGTH = 256;

/** One term of a comparator set: a comparator (`>=1.2.0`, `^1.2.3`, `1.2.3`) or an x-range (`1.x`, `1.2.x`). */
export type RangeTerm =
  | { kind: 'comparator'; operator: Operator; version: string }
  | { kind: 'x'; major: string; minor?: string | undefined };

export type Operator = '' | '>=' | '>' | '<=' | '<' | '^' | '~';

/** A range read: `any` for `*`, else its comparator sets (alternatives of `||`), each a list of terms. */
export type ParsedRange = { any: true } | { any: false; sets: RangeTerm[][] };

/** The outcome of reading a range: the parsed form, or why the text is not one. */
export type RangeReading = { ok: true; range: ParsedRange } | { ok: false; reason: string };

// A number of the grammar: no leading zero, at most 15 digits so that it and its successor are exact in JavaScript.
const NR = '0|[1-9][0-9]{0,14}';
const IDENT = '[0-9A-Za-z-]+';
// One written term, read leniently so that the spellings node-semver also accepts can be given their normal form.
const TERM = new RegExp(
  `^(~>|~|\\^|>=|<=|>|<|=)?(v)?([0-9]+|[xX*])(?:\\.([0-9]+|[xX*])(?:\\.([0-9]+|[xX*])(?:-(${IDENT}(?:\\.${IDENT})*))?)?)?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`,
);
const NUMBER = new RegExp(`^(?:${NR})$`);
const NUMERIC = /^[0-9]+$/;
const isX = (part: string | undefined): boolean => part === undefined || part === 'x' || part === 'X' || part === '*';

const EXAMPLES = '(e.g. "^1.2.0", "~1.2.0", ">=1.0.0 <2.0.0", "1.x" or "*")';

function termError(token: string, why: string): string {
  return `${JSON.stringify(token)} ${why}`;
}

/** Read one whitespace-free term; `*` is returned as undefined (it matches any version). */
function readTerm(token: string): RangeTerm | undefined | string {
  const m = TERM.exec(token);
  if (!m) return termError(token, `is not a comparator, an x-range or "*" ${EXAMPLES}`);
  const [, rawOperator = '', , major = '', minor, patch, prerelease] = m;
  for (const part of [major, minor, patch])
    if (part !== undefined && !isX(part) && !NUMBER.test(part))
      return termError(token, `has the number ${part}: numbers have no leading zero and at most 15 digits`);
  for (const id of prerelease?.split('.') ?? [])
    if (NUMERIC.test(id) && id.length > 1 && id.startsWith('0'))
      return termError(token, `has the prerelease identifier ${id}: numeric identifiers have no leading zero`);
  // node-semver reads ">=0.0.0" as any version, but not ">=v0.0.0": the two differ, and only the first is in the grammar.
  if (
    m[2] &&
    rawOperator === '>=' &&
    /^0\.0\.0(-0)?$/.test(`${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}`)
  )
    return termError(token, 'is read by node-semver unlike ">=0.0.0": write ">=0.0.0" or "*"');
  const operator: Operator = rawOperator === '~>' ? '~' : rawOperator === '=' ? '' : (rawOperator as Operator);
  if (patch !== undefined && !isX(patch) && !isX(minor) && !isX(major))
    return {
      kind: 'comparator',
      operator,
      version: prerelease ? `${major}.${minor}.${patch}-${prerelease}` : `${major}.${minor}.${patch}`,
    };
  if (prerelease !== undefined) return termError(token, 'has a prerelease after an "x": write a full version');
  if ((isX(major) && !isX(minor)) || (isX(minor) && patch !== undefined && !isX(patch)))
    return termError(token, 'has a number after an "x": only the last parts of a version may be "x"');
  // `~1`, `~1.2`, `^1` and `^0.2` mean exactly `1.x`, `1.2.x`, `1.x` and `0.2.x`; `^1.2` has no such spelling.
  const partial = operator === '~' || (operator === '^' && (isX(minor) || major === '0'));
  if (partial && isX(major)) return undefined;
  if (partial) return isX(minor) ? { kind: 'x', major } : { kind: 'x', major, minor };
  if (operator !== '') {
    const full = [major, minor ?? 'x', patch ?? 'x'].map((p) => (isX(p) ? '0' : p)).join('.');
    return termError(token, `needs a full version after ${JSON.stringify(operator)}: write e.g. "${operator}${full}"`);
  }
  if (isX(major)) return undefined;
  return isX(minor) ? { kind: 'x', major } : { kind: 'x', major, minor };
}

/** Read `text` leniently: anything the grammar accepts, plus the spellings of node-semver that have a normal form. */
export function readRange(text: unknown): RangeReading {
  if (typeof text !== 'string')
    return { ok: false, reason: 'a range must be a string such as ">=1.0.0 <2.0.0" (quote it in YAML)' };
  if (text.length > MAX_RANGE_LENGTH) return { ok: false, reason: `a range is at most ${MAX_RANGE_LENGTH} characters` };
  if (text.trim() === '') return { ok: false, reason: 'a range must not be empty (use "*" for any version)' };
  const sets: RangeTerm[][] = [];
  let any = false;
  for (const alternative of text.split('||')) {
    const words = alternative.trim().split(/\s+/);
    if (words[0] === '') return { ok: false, reason: 'an alternative around "||" is empty' };
    if (words.length === 3 && words[1] === '-')
      return {
        ok: false,
        reason: `hyphen ranges ("${words.join(' ')}") are not part of the grammar: write ">=${words[0]} <=${words[2]}" with full versions`,
      };
    // An operator standing apart from its version (`>= 1.0.0`) is one term.
    const tokens: string[] = [];
    for (const word of words) {
      const previous = tokens.at(-1);
      if (previous !== undefined && /^(~>|~|\^|>=|<=|>|<|=)$/.test(previous))
        tokens[tokens.length - 1] = previous + word;
      else tokens.push(word);
    }
    const terms: RangeTerm[] = [];
    for (const token of tokens) {
      const term = readTerm(token);
      if (typeof term === 'string') return { ok: false, reason: term };
      if (term) terms.push(term);
    }
    // `*` beside other terms adds nothing; a set of `*` alone makes the whole range `*` (as in node-semver).
    if (terms.length === 0) any = true;
    else sets.push(terms);
  }
  return { ok: true, range: any ? { any: true } : { any: false, sets } };
}

/** The normal form of a parsed range. */
export function formatRange(range: ParsedRange): string {
  if (range.any) return '*';
  return range.sets
    .map((set) =>
      set
        .map((t) =>
          t.kind === 'comparator'
            ? `${t.operator}${t.version}`
            : `${t.major}.${t.minor === undefined ? '' : `${t.minor}.`}x`,
        )
        .join(' '),
    )
    .join(' || ');
}

/** The normal form of `text` when it has one (it may already be it), else undefined. */
export function normalizeRange(text: unknown): string | undefined {
  const read = readRange(text);
  return read.ok ? formatRange(read.range) : undefined;
}

/**
 * Why `range` cannot be read even into a normal form, or undefined. For readers of what was written elsewhere
 * (requests, lockfiles), which take any range that has a normal form; the gate uses rangeError.
 */
export function rangeReadError(range: unknown): string | undefined {
  const read = readRange(range);
  if (read.ok) return undefined;
  if (typeof range !== 'string' || read.reason.startsWith(`${JSON.stringify(range)} `)) return read.reason;
  return `${JSON.stringify(range)} is not a range: ${read.reason}`;
}

/** Why `range` is not a range of the grammar in normal form, or undefined; gives the normal form when there is one. */
export function rangeError(range: unknown): string | undefined {
  const unreadable = rangeReadError(range);
  if (unreadable) return unreadable;
  const read = readRange(range);
  if (!read.ok) return read.reason;
  const normal = formatRange(read.range);
  if (normal !== range) return `${JSON.stringify(range)} is not in normal form: write ${JSON.stringify(normal)}`;
  return undefined;
}

// ---- Matching ----------------------------------------------------------------------------------------------

/** A primitive comparator; `undefined` version is "any version". */
interface Primitive {
  operator: '=' | '>=' | '>' | '<=' | '<';
  version: semver.SemVer | undefined;
}

const ANY: Primitive = { operator: '>=', version: undefined };

function v(text: string): semver.SemVer {
  return new semver.SemVer(text);
}

/** The primitive comparators a term stands for (docs/ranges.md, "Desugaring"). */
function desugar(term: RangeTerm, includePrerelease: boolean): Primitive[] {
  const z = includePrerelease ? '-0' : '';
  if (term.kind === 'x') {
    const M = Number(term.major);
    if (term.minor === undefined) return [gte(`${M}.0.0${z}`), lt(`${M + 1}.0.0-0`)];
    const m = Number(term.minor);
    return [gte(`${M}.${m}.0${z}`), lt(`${M}.${m + 1}.0-0`)];
  }
  const version = v(term.version);
  const { major: M, minor: m, patch: p } = version;
  switch (term.operator) {
    case '':
      return [{ operator: '=', version }];
    case '~':
      return [{ operator: '>=', version }, lt(`${M}.${m + 1}.0-0`)];
    case '^':
      return [{ operator: '>=', version }, lt(M > 0 ? `${M + 1}.0.0-0` : m > 0 ? `0.${m + 1}.0-0` : `0.0.${p + 1}-0`)];
    default:
      return [{ operator: term.operator, version }];
  }
}

const gte = (text: string): Primitive => ({ operator: '>=', version: v(text) });
const lt = (text: string): Primitive => ({ operator: '<', version: v(text) });

/** `>=0.0.0` (or `>=0.0.0-0` with prereleases included) admits every version the set admits: node-semver reads it as any. */
function lowestBound(c: Primitive, includePrerelease: boolean): boolean {
  if (c.operator !== '>=' || !c.version) return false;
  const { major, minor, patch, prerelease } = c.version;
  if (major !== 0 || minor !== 0 || patch !== 0) return false;
  return includePrerelease ? prerelease.length === 1 && prerelease[0] === 0 : prerelease.length === 0;
}

function holds(c: Primitive, version: semver.SemVer): boolean {
  if (!c.version) return true;
  const order = version.compare(c.version);
  switch (c.operator) {
    case '=':
      return order === 0;
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
  }
}

function setHolds(set: Primitive[], version: semver.SemVer, includePrerelease: boolean): boolean {
  if (!set.every((c) => holds(c, version))) return false;
  if (version.prerelease.length === 0 || includePrerelease) return true;
  // A prerelease only matches a set that names a prerelease of the same MAJOR.MINOR.PATCH.
  return set.some(
    (c) =>
      c.version !== undefined &&
      c.version.prerelease.length > 0 &&
      c.version.major === version.major &&
      c.version.minor === version.minor &&
      c.version.patch === version.patch,
  );
}

/** Tests a version (text or parsed) against one range. */
export type RangeMatcher = (version: string | semver.SemVer) => boolean;

/** The matcher of a parsed range. */
export function matcher(range: ParsedRange, includePrerelease = false): RangeMatcher {
  let sets: Primitive[][];
  if (range.any) sets = [[ANY]];
  else {
    sets = range.sets.map((set) =>
      set.flatMap((t) => desugar(t, includePrerelease)).map((c) => (lowestBound(c, includePrerelease) ? ANY : c)),
    );
    // A set that admits any version makes the whole range `*`: it then admits no prerelease (unless included).
    const anySet = sets.find((set) => set.every((c) => c === ANY));
    if (anySet && sets.length > 1) sets = [anySet];
  }
  return (version) => {
    let parsed: semver.SemVer;
    if (typeof version === 'string') {
      const p = semver.parse(version);
      if (p === null) return false;
      parsed = p;
    } else parsed = version;
    return sets.some((set) => setHolds(set, parsed, includePrerelease));
  };
}

const compiled = new Map<string, RangeMatcher | null>();

/** The matcher of `range` read leniently (cached), or undefined when it is not a range. */
export function rangeMatcher(range: string, includePrerelease = false): RangeMatcher | undefined {
  const key = `${includePrerelease ? 1 : 0}${range}`;
  let hit = compiled.get(key);
  if (hit === undefined) {
    const read = readRange(range);
    hit = read.ok ? matcher(read.range, includePrerelease) : null;
    // Bounded: registries repeat the same few thousand ranges, and recompiling is cheap.
    if (compiled.size > 100_000) compiled.clear();
    compiled.set(key, hit);
  }
  return hit ?? undefined;
}

/** Whether `version` satisfies `range`; prereleases only match as docs/ranges.md says, or always when included. */
export function satisfies(version: string, range: string, includePrerelease = false): boolean {
  return rangeMatcher(range, includePrerelease)?.(version) ?? false;
}
