import { describe, expect, it } from 'vitest';
import { assetStem, damerauLevenshtein, nameError, releaseTag, similarNames, tarballName } from '../../core/names.js';
import { indexPath } from '../../core/index-path.js';

describe('names', () => {
  it('accepts lowercase ASCII names with an optional scope', () => {
    expect(nameError('prelude')).toBeUndefined();
    expect(nameError('a-b2')).toBeUndefined();
    expect(nameError('@acme/tools')).toBeUndefined();
  });

  it.each([
    '',
    'Prelude',
    '1abc',
    'a_b',
    'a/b',
    '../x',
    'a..b',
    'prelud\u0435',
    'a\u0000b',
    'a b',
    '@acme',
    '@/x',
    'x'.repeat(65),
  ])('refuses %j', (name) => {
    expect(nameError(name)).toBeTypeOf('string');
  });

  it('maps scoped names to asset stems and tags without collisions', () => {
    expect(assetStem('@a/b-c')).toBe('a_b-c');
    expect(assetStem('@a-b/c')).toBe('a-b_c');
    expect(tarballName('@a/b', '1.0.0')).toBe('a_b-1.0.0.tar.gz');
    expect(releaseTag('@a/b')).toBe('@a/b');
    expect(releaseTag('foo', 2)).toBe('foo.2');
  });

  it('measures Damerau–Levenshtein with transpositions', () => {
    expect(damerauLevenshtein('abcd', 'abdc')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
  });

  it('finds similar names by folding and distance', () => {
    expect(similarNames('foo-bar', ['foobar', 'foo_bar', 'unrelated'])).toEqual(['foobar']);
    expect(similarNames('aff', ['afff', 'aft', 'xyz'])).toEqual(['afff', 'aft']);
    expect(similarNames('arrays-extra', ['arrays-extras', 'array-extras', 'strings'])).toEqual([
      'array-extras',
      'arrays-extras',
    ]);
    expect(similarNames('halogen', ['halogem2x'])).toEqual([]);
  });

  it('shards index paths like the Cargo sparse index', () => {
    expect(indexPath('a')).toBe('1/a');
    expect(indexPath('ab')).toBe('2/ab');
    expect(indexPath('abc')).toBe('3/a/abc');
    expect(indexPath('prelude')).toBe('pr/el/prelude');
    expect(indexPath('@acme/tools')).toBe('@acme/to/ol/tools');
  });
});
