import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeRange, rangeError, satisfies } from '../../core/ranges.js';
import { rangeVectorsText, VECTORS_PATH, vectorsFile, type RangeVectors } from '../../tools/ranges/generate-vectors.js';

const committed = readFileSync(vectorsFile, 'utf8');
const vectors = JSON.parse(committed) as RangeVectors;

describe(VECTORS_PATH, () => {
  it('is what tools/ranges/generate-vectors.ts writes (run `npm run vectors` after changing the ranges)', async () => {
    expect(committed).toBe(await rangeVectorsText());
  });

  it('covers valid and invalid ranges, and prereleases matched and refused in both modes', () => {
    expect(vectors.ranges.filter((v) => v.expected === 'valid').length).toBeGreaterThan(50);
    expect(vectors.ranges.filter((v) => v.expected === 'error' && v.normal !== null).length).toBeGreaterThan(20);
    expect(vectors.ranges.filter((v) => v.expected === 'error' && v.normal === null).length).toBeGreaterThan(10);
    for (const includePrerelease of [false, true])
      for (const expected of [false, true])
        expect(
          vectors.matches.filter(
            (m) => m.version.includes('-') && m.includePrerelease === includePrerelease && m.expected === expected,
          ).length,
        ).toBeGreaterThan(25);
  });

  it('is passed by the implementation, vector by vector', () => {
    for (const v of vectors.ranges) {
      expect(rangeError(v.range) === undefined ? 'valid' : 'error', JSON.stringify(v.range)).toBe(v.expected);
      expect(normalizeRange(v.range) ?? null, JSON.stringify(v.range)).toBe(v.normal);
    }
    for (const m of vectors.matches)
      expect(
        satisfies(m.version, m.range, m.includePrerelease),
        `${m.version} in ${m.range} (${m.includePrerelease})`,
      ).toBe(m.expected);
  });
});
