/** Search packages.json: exact name > name prefix > name substring > keyword > description word; ties by name. */
import type { PackageSummary, PackagesFile } from '../schema/types.js';

export type MatchKind = 'name' | 'name-prefix' | 'name-substring' | 'keyword' | 'description';

export interface SearchHit {
  name: string;
  description: string | undefined;
  keywords: string[];
  latest: string | null;
  deprecated: string | undefined;
  match: MatchKind;
}

const TIERS: MatchKind[] = ['name', 'name-prefix', 'name-substring', 'keyword', 'description'];

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** How `p` matches `query` (lowercased, trimmed), or undefined. */
function matchOf(p: PackageSummary, query: string, queryWords: string[]): MatchKind | undefined {
  const base = p.name.includes('/') ? p.name.slice(p.name.indexOf('/') + 1) : p.name;
  if (p.name === query || base === query) return 'name';
  if (p.name.startsWith(query) || base.startsWith(query)) return 'name-prefix';
  if (p.name.includes(query)) return 'name-substring';
  if (queryWords.length === 0) return undefined;
  const keywords = new Set((p.keywords ?? []).map((k) => k.toLowerCase()));
  if (keywords.has(query) || queryWords.every((w) => keywords.has(w))) return 'keyword';
  const described = words(p.description ?? '');
  if (queryWords.every((w) => described.has(w))) return 'description';
  return undefined;
}

/** Ranked hits for `query`; within a tier deprecated packages come last, then by name. */
export function searchPackages(file: PackagesFile, query: string, limit = 20): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const queryWords = [...words(q)];
  const hits: SearchHit[] = [];
  for (const p of file.packages) {
    const match = matchOf(p, q, queryWords);
    if (match)
      hits.push({
        name: p.name,
        description: p.description,
        keywords: p.keywords ?? [],
        latest: p.latest,
        deprecated: p.deprecated,
        match,
      });
  }
  hits.sort(
    (a, b) =>
      TIERS.indexOf(a.match) - TIERS.indexOf(b.match) ||
      Number(a.deprecated !== undefined) - Number(b.deprecated !== undefined) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return hits.slice(0, Math.max(0, limit));
}
