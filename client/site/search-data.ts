/**
 * The data the two script pages read, as `.js` files that assign a global (browsers refuse `fetch` from
 * file://): data/search-index.js (`window.GRANARY_SEARCH`: the search documents, each package's page and
 * the prebuilt MiniSearch index) and data/hashes.js (`window.GRANARY_HASHES`: tarball SHA-256 and content
 * hash → package and version).
 */
import type { Quality } from '../search.js';
import { searchDocument, searchIndex } from '../search.js';
import type { SiteFile } from './layout.js';
import type { PackageFacts } from './package-facts.js';
import { HASH_DATA, SEARCH_DATA, packagePage } from './paths.js';
import type { SiteModel } from './site-model.js';

export const SEARCH_DATA_FORMAT = 1;

/** data/search-index.js: the same documents `granary search` ranks, plus what only tarballs tell (quality). */
export function searchDataFile(model: SiteModel, facts: ReadonlyMap<string, PackageFacts>): SiteFile {
  const quality = new Map<string, Quality>();
  for (const [name, f] of facts) quality.set(name, f.quality);
  // Where the registry counts downloads, a package it has no count for was downloaded 0 times, not unknown.
  const stats = model.stats?.kept === false ? undefined : model.stats;
  const downloads = stats && new Map(model.packages.map((p) => [p.name, stats.downloads.get(p.name) ?? 0]));
  const documents = model.packages.map((p) =>
    searchDocument(p.summary, { quality, ...(downloads ? { downloads } : {}) }),
  );
  const payload = {
    format: SEARCH_DATA_FORMAT,
    documents,
    pages: Object.fromEntries(model.packages.map((p) => [p.name, packagePage(p.name)])),
    index: searchIndex(documents),
  };
  return { path: SEARCH_DATA, bytes: `window.GRANARY_SEARCH = ${JSON.stringify(payload)};\n` };
}

/** data/hashes.js: `packages` is [name, page] per package; each hash maps to [package index, version] pairs. */
export function hashDataFile(model: SiteModel): SiteFile {
  const packages: Array<[string, string]> = [];
  const sha256: Record<string, Array<[number, string]>> = {};
  const content: Record<string, Array<[number, string]>> = {};
  for (const p of model.packages) {
    const i = packages.push([p.name, packagePage(p.name)]) - 1;
    // Unpublished versions too: a hash found in the wild is still worth naming.
    for (const line of p.lines) {
      (sha256[line.sha256] ??= []).push([i, line.version]);
      if (line.contentHash) (content[line.contentHash] ??= []).push([i, line.version]);
    }
  }
  const payload = { format: 1, packages, sha256, content };
  return { path: HASH_DATA, bytes: `window.GRANARY_HASHES = ${JSON.stringify(payload)};\n` };
}
