// The shared ranking (client/site/ranking.cjs): the formula with hand-computed numbers, normalization of
// text scores within a result set, filters and orders; and `granary search`'s use of it through MiniSearch.
import { describe, expect, it } from 'vitest';
import ranking, { type SearchDocument, type TextIndex } from '../../client/site/ranking.cjs';
import { searchDocuments, searchIndex, searchPackages, rankDocuments } from '../../client/search.js';
import type { PackageSummary } from '../../schema/types.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();

function doc(name: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return {
    name,
    description: '',
    keywords: [],
    license: 'MIT',
    scope: name.startsWith('@') ? name.slice(0, name.indexOf('/')) : null,
    latest: '1.0.0',
    updatedAt: null,
    downloads: null,
    quality: null,
    deprecated: null,
    ...extra,
  };
}

/** A text index that answers fixed scores, so the ranking's own arithmetic is what is tested. */
function fixedIndex(scores: Record<string, number>): TextIndex {
  return {
    search: () => Object.entries(scores).map(([id, score]) => ({ id, score, match: { term: ['name'] } })),
  };
}

describe('the ranking formula', () => {
  it('is 0.4·text + 0.3·popularity + 0.2·freshness + 0.1·quality', () => {
    const d = doc('a', {
      downloads: 999,
      updatedAt: daysAgo(73),
      quality: { readme: true, tests: false, examples: true },
    });
    const parts = ranking.scoreParts(d, 0.5, NOW);
    // log10(1000)/6 = 0.5; 1 − 73/365 = 0.8; 2/3
    expect(parts.text).toBe(0.5);
    expect(parts.popularity).toBeCloseTo(0.5, 12);
    expect(parts.freshness).toBeCloseTo(0.8, 12);
    expect(parts.quality).toBeCloseTo(2 / 3, 12);
    expect(ranking.combine(parts)).toBeCloseTo(0.2 + 0.15 + 0.16 + 0.1 * (2 / 3), 12);
    expect(ranking.WEIGHTS).toEqual({ text: 0.4, popularity: 0.3, freshness: 0.2, quality: 0.1 });
  });

  it('caps popularity at 1, floors freshness at 0, and counts what is not known as 0', () => {
    expect(ranking.popularity(999_999)).toBeCloseTo(1, 12);
    expect(ranking.popularity(1e9)).toBe(1);
    expect(ranking.popularity(9)).toBeCloseTo(1 / 6, 12);
    expect(ranking.popularity(0)).toBe(0);
    expect(ranking.popularity(null)).toBe(0);
    expect(ranking.freshness(daysAgo(0), NOW)).toBe(1);
    expect(ranking.freshness(daysAgo(182.5), NOW)).toBeCloseTo(0.5, 12);
    expect(ranking.freshness(daysAgo(365), NOW)).toBe(0);
    expect(ranking.freshness(daysAgo(900), NOW)).toBe(0);
    expect(ranking.freshness(daysAgo(-3), NOW)).toBe(1);
    expect(ranking.freshness(null, NOW)).toBe(0);
    expect(ranking.freshness('not a date', NOW)).toBe(0);
    expect(ranking.qualityScore({ readme: true, tests: true, examples: true })).toBe(1);
    expect(ranking.qualityScore({ readme: false, tests: true, examples: false })).toBeCloseTo(1 / 3, 12);
    expect(ranking.qualityScore(null)).toBe(0);
  });
});

describe('rank', () => {
  it('normalizes text scores to the best of the result set, then orders by score, ties by name', () => {
    const documents = [doc('a'), doc('b'), doc('c'), doc('d')];
    const hits = ranking.rank(fixedIndex({ c: 2.5, a: 10, b: 5, d: 5 }), documents, { text: 'x', now: NOW });
    expect(hits.map((h) => [h.document.name, h.parts.text, h.score])).toEqual([
      ['a', 1, 0.4],
      ['b', 0.5, 0.2],
      ['d', 0.5, 0.2],
      ['c', 0.25, 0.1],
    ]);
  });

  it('lets popularity, freshness and quality outrank a slightly better text match', () => {
    const documents = [
      doc('exact'),
      doc('popular', {
        downloads: 999_999,
        updatedAt: daysAgo(0),
        quality: { readme: true, tests: true, examples: true },
      }),
    ];
    const hits = ranking.rank(fixedIndex({ exact: 10, popular: 9 }), documents, { text: 'x', now: NOW });
    // exact: 0.4; popular: 0.4·0.9 + 0.3 + 0.2 + 0.1 = 0.96
    expect(hits.map((h) => h.document.name)).toEqual(['popular', 'exact']);
    expect(hits[0]!.score).toBeCloseTo(0.96, 12);
  });

  it('doubles the text score of the package whose name is the query (with or without its scope)', () => {
    const documents = [doc('widget-kit'), doc('@acme/widget')];
    const hits = ranking.rank(fixedIndex({ 'widget-kit': 8, '@acme/widget': 5 }), documents, {
      text: 'Widget',
      now: NOW,
    });
    expect(hits.map((h) => [h.document.name, h.parts.text])).toEqual([
      ['@acme/widget', 1],
      ['widget-kit', 0.8],
    ]);
  });

  it('filters by scope, keyword and license; sorts by downloads or recency; honours the limit', () => {
    const documents = [
      doc('@acme/a', { keywords: ['ui'], downloads: 10, updatedAt: daysAgo(30) }),
      doc('@acme/b', { keywords: ['ui', 'db'], license: 'Apache-2.0', downloads: 500, updatedAt: daysAgo(300) }),
      doc('c', { keywords: ['ui'], downloads: 50, updatedAt: daysAgo(1) }),
    ];
    const none = fixedIndex({});
    const names = (q: Partial<Parameters<typeof ranking.rank>[2]>) =>
      ranking.rank(none, documents, { now: NOW, ...q }).map((h) => h.document.name);
    expect(names({ scope: '@acme' })).toEqual(['@acme/a', '@acme/b']);
    expect(names({ keyword: 'db' })).toEqual(['@acme/b']);
    expect(names({ license: 'MIT' })).toEqual(['c', '@acme/a']);
    expect(names({ sort: 'downloads' })).toEqual(['@acme/b', 'c', '@acme/a']);
    expect(names({ sort: 'recent' })).toEqual(['c', '@acme/a', '@acme/b']);
    expect(names({ sort: 'recent', limit: 1 })).toEqual(['c']);
    // No words: every package the filters keep, by score: c 0.3·log10(51)/6 + 0.2·(1 − 1/365) ≈ 0.285,
    // @acme/a 0.3·log10(11)/6 + 0.2·(1 − 30/365) ≈ 0.236, @acme/b 0.3·log10(501)/6 + 0.2·(1 − 300/365) ≈ 0.171.
    expect(names({})).toEqual(['c', '@acme/a', '@acme/b']);
  });
});

describe('granary search through MiniSearch', () => {
  const p = (name: string, extra: Partial<PackageSummary> = {}): PackageSummary => ({
    name,
    latest: '1.0.0',
    versions: 1,
    updatedAt: daysAgo(10),
    ...extra,
  });
  const file = {
    format: 2 as const,
    packages: [
      p('parser-utils', { description: 'helpers' }),
      p('argparse', { description: 'command line parsing' }),
      p('parser'),
      p('old-parser', { deprecated: 'use parser' }),
      p('fast-parser'),
      p('yaml', { keywords: ['parser', 'config'] }),
      p('toml', { description: 'a parser for TOML files' }),
      p('@acme/widgets', { description: 'user interface widgets', keywords: ['ui'] }),
    ],
  };

  it('ranks name matches, then keyword matches, then description matches', () => {
    expect(searchPackages(file, 'Parser', { now: NOW }).map((h) => `${h.name}:${h.match.join('+')}`)).toEqual([
      'parser:name',
      'fast-parser:name',
      'old-parser:name',
      'parser-utils:name',
      'yaml:keywords',
      'toml:description',
    ]);
  });

  it('finds a name by a prefix and by a typo, and matches every word of a query', () => {
    expect(searchPackages(file, 'widg', { now: NOW }).map((h) => h.name)).toEqual(['@acme/widgets']);
    expect(searchPackages(file, 'widgts', { now: NOW }).map((h) => h.name)).toEqual(['@acme/widgets']);
    expect(searchPackages(file, 'command line', { now: NOW }).map((h) => h.name)).toEqual(['argparse']);
    expect(searchPackages(file, 'parser', { now: NOW, limit: 2 })).toHaveLength(2);
    expect(searchPackages(file, '   ', { now: NOW, keyword: 'ui' }).map((h) => h.name)).toEqual(['@acme/widgets']);
  });

  it('ranks the same from an index sent as JSON and loaded back (what the site does)', async () => {
    const { default: MiniSearch } = await import('minisearch');
    const documents = searchDocuments(file);
    const shipped = MiniSearch.loadJS(JSON.parse(JSON.stringify(searchIndex(documents))), { ...ranking.INDEX_OPTIONS });
    for (const q of ['parser', 'pars', 'widgts', 'toml files'])
      expect(rankDocuments(shipped, documents, q, { now: NOW }).map((h) => h.document.name)).toEqual(
        rankDocuments(searchIndex(documents), documents, q, { now: NOW }).map((h) => h.document.name),
      );
  });
});
