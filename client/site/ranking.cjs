// @ts-check
/**
 * The search ranking, one implementation for `granary search` (Node imports this file) and the website
 * (`granary site build` copies it as it is into the site, where the search page loads it with a plain
 * `<script src>`). So it is a dependency-free UMD file: a classic script in the browser (module scripts do
 * not load from file://), a CommonJS module in Node. The text index it ranks is MiniSearch's, built with
 * the options below on both sides.
 *
 *   score = 0.4·text + 0.3·popularity + 0.2·freshness + 0.1·quality
 *
 * text: MiniSearch's score (doubled when the query is the package's name, with or without its scope)
 * divided by the best score of the result set (0 when there is no query text);
 * popularity: log10(downloads + 1) / 6, at most 1; freshness: 1 − days since the last update / 365, at
 * least 0; quality: a third each for a README, tests and examples in the latest version's tarball.
 */
'use strict';

/**
 * @typedef {{ readme: boolean, tests: boolean, examples: boolean }} Quality
 *
 * @typedef {object} SearchDocument One package as search sees it.
 * @property {string} name
 * @property {string} description
 * @property {string[]} keywords
 * @property {string | null} license
 * @property {string | null} scope `@scope` of a scoped name, else null.
 * @property {string | null} latest
 * @property {string | null} updatedAt When the package's index lines last changed (ISO 8601).
 * @property {number | null} downloads Null while the registry publishes no download counts.
 * @property {Quality | null} quality Null when not known (`granary search` does not open tarballs).
 * @property {string | null} deprecated
 *
 * @typedef {'relevance' | 'downloads' | 'recent'} SortOrder
 *
 * @typedef {object} Query
 * @property {string} [text] Words to look for; none lists every package that passes the filters.
 * @property {string} [scope] `@scope`
 * @property {string} [keyword]
 * @property {string} [license] An exact license expression.
 * @property {SortOrder} [sort] Default `relevance`: by score.
 * @property {number} now Milliseconds since the epoch: freshness counts days up to this moment.
 * @property {number} [limit]
 *
 * @typedef {{ text: number, popularity: number, freshness: number, quality: number }} ScoreParts
 *
 * @typedef {object} RankedHit
 * @property {SearchDocument} document
 * @property {number} score
 * @property {ScoreParts} parts
 * @property {string[]} fields The fields the query text matched (name, keywords, description).
 *
 * @typedef {{ id: string, score: number, match: Record<string, string[]> }} TextMatch
 * @typedef {{ search(text: string, options: object): TextMatch[] }} TextIndex A MiniSearch instance.
 */

(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else /** @type {Record<string, unknown>} */ (root).GranaryRanking = factory();
})(globalThis, function () {
  const WEIGHTS = Object.freeze({ text: 0.4, popularity: 0.3, freshness: 0.2, quality: 0.1 });
  const DAY_MS = 86_400_000;
  /** A query that is a package's very name puts that package ahead of others that merely mention it. */
  const EXACT_NAME_BONUS = 2;
  const FIELDS = ['name', 'keywords', 'description'];

  /**
   * How MiniSearch indexes a SearchDocument: the same on the build side and in the browser (`loadJS`).
   * Names are split at `@`, `/` and `-` by the default tokenizer, so `left-pad` is found by `pad`.
   */
  const INDEX_OPTIONS = Object.freeze({
    idField: 'name',
    fields: FIELDS,
    storeFields: [],
    /** @param {Record<string, unknown>} document @param {string} field */
    extractField(document, field) {
      const value = document[field];
      return Array.isArray(value) ? value.join(' ') : value;
    },
  });

  /** Prefix matches while typing; one typo in words of 4 to 7 letters, two in longer ones. */
  const SEARCH_OPTIONS = Object.freeze({
    prefix: true,
    /** @param {string} term */
    fuzzy(term) {
      return term.length < 4 ? false : term.length < 8 ? 1 : 2;
    },
    boost: { name: 6, keywords: 2, description: 1 },
    combineWith: 'AND',
  });

  /** @param {number | null} downloads */
  function popularity(downloads) {
    if (downloads === null || !(downloads > 0)) return 0;
    return Math.min(1, Math.log10(downloads + 1) / 6);
  }

  /** @param {string | null} updatedAt @param {number} now */
  function freshness(updatedAt, now) {
    const at = updatedAt === null ? NaN : Date.parse(updatedAt);
    if (Number.isNaN(at)) return 0;
    const days = (now - at) / DAY_MS;
    return Math.min(1, Math.max(0, 1 - days / 365));
  }

  /** @param {Quality | null} quality */
  function qualityScore(quality) {
    if (quality === null) return 0;
    return (Number(quality.readme) + Number(quality.tests) + Number(quality.examples)) / 3;
  }

  /** @param {SearchDocument} document @param {number} text @param {number} now @returns {ScoreParts} */
  function scoreParts(document, text, now) {
    return {
      text,
      popularity: popularity(document.downloads),
      freshness: freshness(document.updatedAt, now),
      quality: qualityScore(document.quality),
    };
  }

  /** @param {ScoreParts} parts */
  function combine(parts) {
    return (
      WEIGHTS.text * parts.text +
      WEIGHTS.popularity * parts.popularity +
      WEIGHTS.freshness * parts.freshness +
      WEIGHTS.quality * parts.quality
    );
  }

  /** @param {SearchDocument} document @param {Query} query */
  function passes(document, query) {
    if (query.scope && document.scope !== query.scope) return false;
    if (query.keyword && !document.keywords.includes(query.keyword)) return false;
    if (query.license && document.license !== query.license) return false;
    return true;
  }

  /** Lowercase words only: `@Acme/Left-Pad` and `acme left pad` are the same name. @param {string} text */
  function nameWords(text) {
    return text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  }

  /** @param {SearchDocument} document @param {string} words the query's nameWords */
  function isNameOf(document, words) {
    const name = document.name;
    return words === nameWords(name) || words === nameWords(name.slice(name.indexOf('/') + 1));
  }

  /** @param {string} a @param {string} b */
  function byName(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** @param {RankedHit} a @param {RankedHit} b */
  function byScore(a, b) {
    return b.score - a.score || byName(a.document.name, b.document.name);
  }

  /** @type {Record<SortOrder, (a: RankedHit, b: RankedHit) => number>} */
  const ORDERS = {
    relevance: byScore,
    downloads: (a, b) => (b.document.downloads ?? 0) - (a.document.downloads ?? 0) || byScore(a, b),
    recent: (a, b) => byName(b.document.updatedAt ?? '', a.document.updatedAt ?? '') || byScore(a, b),
  };

  /**
   * The packages that match `query`, best first.
   * @param {TextIndex} index MiniSearch over `documents`, built with INDEX_OPTIONS.
   * @param {SearchDocument[]} documents
   * @param {Query} query
   * @returns {RankedHit[]}
   */
  function rank(index, documents, query) {
    const text = (query.text ?? '').trim();
    /** @type {Array<{ document: SearchDocument, raw: number, fields: string[] }>} */
    const found = [];
    if (text === '') {
      for (const document of documents) if (passes(document, query)) found.push({ document, raw: 0, fields: [] });
    } else {
      const byId = new Map(documents.map((d) => [d.name, d]));
      const words = nameWords(text);
      for (const match of index.search(text, SEARCH_OPTIONS)) {
        const document = byId.get(match.id);
        if (document === undefined || !passes(document, query)) continue;
        const fields = new Set(Object.values(match.match).flat());
        const raw = isNameOf(document, words) ? match.score * EXACT_NAME_BONUS : match.score;
        found.push({ document, raw, fields: FIELDS.filter((f) => fields.has(f)) });
      }
    }
    const best = found.reduce((max, f) => Math.max(max, f.raw), 0);
    const hits = found.map(({ document, raw, fields }) => {
      const parts = scoreParts(document, best > 0 ? raw / best : 0, query.now);
      return { document, score: combine(parts), parts, fields };
    });
    hits.sort(ORDERS[query.sort ?? 'relevance'] ?? byScore);
    return query.limit === undefined ? hits : hits.slice(0, Math.max(0, query.limit));
  }

  return Object.freeze({
    WEIGHTS,
    EXACT_NAME_BONUS,
    INDEX_OPTIONS,
    SEARCH_OPTIONS,
    popularity,
    freshness,
    qualityScore,
    scoreParts,
    combine,
    rank,
  });
});
