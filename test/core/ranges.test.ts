import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { MAX_RANGE_LENGTH, normalizeRange, rangeError, readRange, satisfies } from '../../core/ranges.js';
import { respell, sampleRange, seededRandom, versionsNear } from '../../tools/ranges/range-samples.js';

// The grammar of docs/ranges.md transcribed rule by rule, independently of core/ranges.ts.
const NR = '(?:0|[1-9][0-9]{0,14})';
const ALNUM_ID = '[0-9]*[A-Za-z-][0-9A-Za-z-]*';
const NUMERIC_ID = '(?:0|[1-9][0-9]*)';
const PRERELEASE = `(?:${NUMERIC_ID}|${ALNUM_ID})(?:\\.(?:${NUMERIC_ID}|${ALNUM_ID}))*`;
const VERSION = `${NR}\\.${NR}\\.${NR}(?:-${PRERELEASE})?`;
const TERM = `(?:(?:>=|<=|>|<|\\^|~)?${VERSION}|${NR}\\.(?:${NR}\\.)?x)`;
const SET = `${TERM}(?: ${TERM})*`;
const GRAMMAR = new RegExp(`^(?:\\*|${SET}(?: \\|\\| ${SET})*)$`);
// node-semver reads ">=0.0.0" as "any version" but ">=v0.0.0" (outside the grammar) as a comparator.
const NODE_READS_APART = />=v0\.0\.0/;

describe('ranges: the grammar and its normal form', () => {
  it('refuses what the gate used to publish, naming the normal form', () => {
    expect(rangeError('>= 0.1.0  < 0.2.0')).toBe('">= 0.1.0  < 0.2.0" is not in normal form: write ">=0.1.0 <0.2.0"');
    expect(rangeError('v1.0.0')).toBe('"v1.0.0" is not in normal form: write "1.0.0"');
    expect(rangeError('1.0.0+build.5')).toBe('"1.0.0+build.5" is not in normal form: write "1.0.0"');
    // node-semver drops every alternative beside "*": the range is "*" and admits no prerelease.
    expect(rangeError('* || >=2.0.0-beta.1')).toBe('"* || >=2.0.0-beta.1" is not in normal form: write "*"');
    expect(semver.satisfies('2.0.0-beta.2', '* || >=2.0.0-beta.1')).toBe(false);
  });

  it('says what is wrong when a text has no normal form', () => {
    expect(rangeError('1.2.3 - 2.0.0')).toMatch(/hyphen ranges .* write ">=1.2.3 <=2.0.0"/);
    expect(rangeError('>=1.2')).toMatch(/needs a full version after ">=": write e.g. ">=1.2.0"/);
    expect(rangeError('^1.2')).toMatch(/write e.g. "\^1.2.0"/);
    expect(rangeError('1.x ||')).toMatch(/alternative around "\|\|" is empty/);
    expect(rangeError('01.2.3')).toMatch(/no leading zero/);
    expect(rangeError('latest')).toMatch(/"latest" is not a comparator, an x-range or "\*"/);
    expect(rangeError('')).toMatch(/must not be empty/);
    expect(rangeError(3)).toMatch(/must be a string/);
    expect(rangeError(`>=1.0.0 ${'<2.0.0 '.repeat(60)}`)).toMatch(`at most ${MAX_RANGE_LENGTH} characters`);
    for (const text of ['1.2.3 - 2.0.0', '>=1.2', '1.x ||', 'latest', '>=v0.0.0'])
      expect(normalizeRange(text), text).toBeUndefined();
  });

  it('keeps the forms real registries use', () => {
    for (const range of ['^1.2.3', '~1.2.3', '>=1.0.0 <2.0.0', '1.x', '1.2.x', '*', '1.2.3', '^1.0.0 || ^2.0.0'])
      expect(rangeError(range), range).toBeUndefined();
    expect(normalizeRange('1')).toBe('1.x');
    expect(normalizeRange('1.2.X')).toBe('1.2.x');
    expect(normalizeRange('~>1.2.3')).toBe('~1.2.3');
    expect(normalizeRange('^1')).toBe('1.x');
    expect(normalizeRange('~1.2')).toBe('1.2.x');
    expect(normalizeRange('^0.2')).toBe('0.2.x');
    expect(normalizeRange('^1.0.0||^2.0.0')).toBe('^1.0.0 || ^2.0.0');
  });

  it('accepts exactly the texts the grammar describes (seed 1)', () => {
    const random = seededRandom(1);
    const alphabet = [
      '',
      ' ',
      '  ',
      '.',
      '-',
      '+',
      'x',
      'X',
      '*',
      'v',
      '=',
      '<',
      '>',
      '^',
      '~',
      '|',
      '||',
      '0',
      '1',
      '01',
      'a',
    ];
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      let text = random() < 0.5 ? sampleRange(random) : respell(random, sampleRange(random));
      // Mutate: a few characters inserted, deleted or replaced, to reach the edges of the grammar.
      for (let k = Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = random() < 0.5 ? 1 : 0;
        text = text.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)]! + text.slice(at + cut);
      }
      const inGrammar = GRAMMAR.test(text) && text.length <= MAX_RANGE_LENGTH;
      expect(rangeError(text) === undefined, JSON.stringify(text)).toBe(inGrammar);
      if (inGrammar) accepted++;
      const normal = normalizeRange(text);
      if (normal === undefined) continue;
      // A normal form is in the grammar, is its own normal form, and means what the text meant to node-semver.
      expect(GRAMMAR.test(normal), `${JSON.stringify(text)} → ${normal}`).toBe(true);
      expect(normalizeRange(normal)).toBe(normal);
      if (NODE_READS_APART.test(text)) continue;
      for (const version of versionsNear(random, normal))
        for (const includePrerelease of [false, true])
          expect(
            semver.satisfies(version, normal, { includePrerelease }),
            `${version} in ${JSON.stringify(text)} → ${normal} (${includePrerelease})`,
          ).toBe(semver.satisfies(version, text, { includePrerelease }));
    }
    expect(accepted).toBeGreaterThan(500);
  });
});

describe('ranges: matching', () => {
  it('agrees with node-semver on generated ranges and versions, prereleases included or not (seed 15)', () => {
    const random = seededRandom(15);
    let checks = 0;
    let prereleases = 0;
    for (let i = 0; i < 2500; i++) {
      const range = sampleRange(random);
      expect(rangeError(range), range).toBeUndefined();
      expect(semver.validRange(range), range).not.toBeNull();
      for (const version of versionsNear(random, range))
        for (const includePrerelease of [false, true]) {
          const expected = semver.satisfies(version, range, { includePrerelease });
          if (satisfies(version, range, includePrerelease) !== expected)
            expect.fail(
              `${version} in ${range} (includePrerelease ${includePrerelease}): node-semver says ${expected}`,
            );
          checks++;
          if (semver.prerelease(version) !== null && expected) prereleases++;
        }
    }
    expect(checks).toBeGreaterThan(50_000);
    expect(prereleases).toBeGreaterThan(1_000);
  });

  it('lets a prerelease match only a set naming a prerelease of the same MAJOR.MINOR.PATCH', () => {
    expect(satisfies('1.2.3-beta.2', '>=1.2.3-beta.1')).toBe(true);
    expect(satisfies('1.2.4-beta.2', '>=1.2.3-beta.1')).toBe(false);
    expect(satisfies('1.2.4-beta.2', '>=1.2.3-beta.1', true)).toBe(true);
    expect(satisfies('2.0.0-rc.1', '^1.2.3')).toBe(false);
    expect(satisfies('1.5.0-rc.1', '^1.2.3', true)).toBe(true);
    // The lower bound of an x-range includes prereleases of its first version only when they are included.
    expect(satisfies('1.0.0-rc.1', '1.x', true)).toBe(true);
    expect(satisfies('1.0.0-rc.1', '^1.0.0', true)).toBe(false);
  });

  it('reads a range outside the grammar by its normal form, and matches nothing with a text that has none', () => {
    expect(satisfies('0.1.5', '>= 0.1.0  < 0.2.0')).toBe(true);
    expect(satisfies('1.5.0', '1.2.3 - 2.0.0')).toBe(false);
    expect(readRange('1.2.3 - 2.0.0').ok).toBe(false);
  });
});
