/**
 * Search packages.json: MiniSearch's full text over name, keywords and description (prefix and
 * typo-tolerant), filters, and the ranking of site/ranking.cjs — the same file the website's search page
 * runs, so `granary search` and the site order a query alike given the same documents.
 */
import { createRequire } from 'node:module';
import type MiniSearch from 'minisearch';
import type { PackageSummary, PackagesFile } from '../schema/types.js';
import ranking, { type Quality, type RankedHit, type SearchDocument, type SortOrder } from './site/ranking.cjs';

export type { Quality, RankedHit, SearchDocument, SortOrder };

export const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'downloads', 'recent'];

export interface SearchOptions {
  /** `@scope`: only packages of this scope. */
  scope?: string;
  keyword?: string;
  /** An exact license expression. */
  license?: string;
  sort?: SortOrder;
  /** At most this many hits (default 20). */
  limit?: number;
  /** The moment freshness counts up to (default now). */
  now?: number;
}

export interface SearchHit {
  name: string;
  description: string | undefined;
  keywords: string[];
  latest: string | null;
  license: string | undefined;
  deprecated: string | undefined;
  score: number;
  parts: RankedHit['parts'];
  /** The fields the query text matched: name, keywords, description. */
  match: string[];
}

/** What search knows beyond packages.json: download counts (from a stats file) and quality (from tarballs). */
export interface DocumentFacts {
  downloads?: ReadonlyMap<string, number>;
  quality?: ReadonlyMap<string, Quality>;
}

/** The search document of one package. */
export function searchDocument(summary: PackageSummary, facts: DocumentFacts = {}): SearchDocument {
  const slash = summary.name.indexOf('/');
  return {
    name: summary.name,
    description: summary.description ?? '',
    keywords: summary.keywords ?? [],
    license: summary.license ?? null,
    scope: summary.name.startsWith('@') && slash > 0 ? summary.name.slice(0, slash) : null,
    latest: summary.latest,
    updatedAt: summary.updatedAt ?? null,
    downloads: facts.downloads?.get(summary.name) ?? null,
    quality: facts.quality?.get(summary.name) ?? null,
    deprecated: summary.deprecated ?? null,
  };
}

/** One document per package of packages.json, in its order. */
export function searchDocuments(file: PackagesFile, facts: DocumentFacts = {}): SearchDocument[] {
  return file.packages.map((p) => searchDocument(p, facts));
}

/** MiniSearch, loaded when a search first needs it: `granary info` and the other read commands never do. */
function miniSearch(): typeof MiniSearch {
  return createRequire(import.meta.url)('minisearch') as typeof MiniSearch;
}

/** The text index over `documents` (`JSON.stringify` it to ship it; `MiniSearch.loadJS` reads it back). */
export function searchIndex(documents: readonly SearchDocument[]): MiniSearch<SearchDocument> {
  const index = new (miniSearch())<SearchDocument>({ ...ranking.INDEX_OPTIONS });
  index.addAll(documents);
  return index;
}

/** Ranked hits for `text` among `file`'s packages; an empty text lists the packages the filters keep. */
export function searchPackages(file: PackagesFile, text: string, options: SearchOptions = {}): SearchHit[] {
  const documents = searchDocuments(file);
  return rankDocuments(searchIndex(documents), documents, text, options).map(
    ({ document: d, score, parts, fields }) => ({
      name: d.name,
      description: d.description === '' ? undefined : d.description,
      keywords: d.keywords,
      latest: d.latest,
      license: d.license ?? undefined,
      deprecated: d.deprecated ?? undefined,
      score,
      parts,
      match: fields,
    }),
  );
}

/** The shared ranking over an index already built (the site ships one). */
export function rankDocuments(
  index: MiniSearch<SearchDocument>,
  documents: SearchDocument[],
  text: string,
  options: SearchOptions = {},
): RankedHit[] {
  return ranking.rank(index, documents, {
    text,
    now: options.now ?? Date.now(),
    limit: options.limit ?? 20,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    ...(options.keyword === undefined ? {} : { keyword: options.keyword }),
    ...(options.license === undefined ? {} : { license: options.license }),
    ...(options.sort === undefined ? {} : { sort: options.sort }),
  });
}
