/**
 * The two pages that need JavaScript — search and lookup by hash — and the 404 page. Each says in a
 * <noscript> why it needs scripts and where to browse without them.
 */
import { markup, type Html } from '../html.js';
import { renderPage, type SiteFile } from '../layout.js';
import {
  HASH_DATA,
  HOME_PAGE,
  KEYWORDS_PAGE,
  LOOKUP_PAGE,
  NOT_FOUND_PAGE,
  PACKAGES_PAGE,
  SCOPES_PAGE,
  SEARCH_DATA,
  SEARCH_PAGE,
  SCRIPTS,
  absoluteLinker,
  relativeLinker,
} from '../paths.js';
import type { SiteModel } from '../site-model.js';

function options(values: Iterable<string>, any: string): Html {
  return markup`<option value="">${any}</option>
${[...values].map((v) => markup`<option value="${v}">${v}</option>\n`)}`;
}

export function searchFile(model: SiteModel): SiteFile {
  const link = relativeLinker(SEARCH_PAGE);
  const licenses = [...new Set(model.packages.flatMap((p) => (p.summary.license ? [p.summary.license] : [])))].sort();
  const main = markup`<h1>Search packages</h1>
<noscript><p class="notice">Search runs in your browser and needs JavaScript. Without it, browse <a href="${link(PACKAGES_PAGE)}">all packages</a>, <a href="${link(SCOPES_PAGE)}">scopes</a> or <a href="${link(KEYWORDS_PAGE)}">keywords</a>; or run <code>granary search</code>.</p></noscript>
<form class="search" id="search" action="${link(SEARCH_PAGE)}" method="get" role="search">
<label for="q">Words <input id="q" type="search" name="q" autocomplete="off"></label>
<label for="scope">Scope <select id="scope" name="scope">${options(model.scopes.keys(), 'Any scope')}</select></label>
<label for="keyword">Keyword <select id="keyword" name="keyword">${options(model.keywords.keys(), 'Any keyword')}</select></label>
<label for="license">License <select id="license" name="license">${options(licenses, 'Any license')}</select></label>
<label for="sort">Order <select id="sort" name="sort">
<option value="relevance">Best match</option>
<option value="downloads">Most downloaded${model.stats === undefined ? ' (no counts yet)' : model.stats.kept === false ? ' (not counted)' : ''}</option>
<option value="recent">Recently updated</option>
</select></label>
<button type="submit">Search</button>
</form>
<p id="status" role="status"></p>
<ol id="results" class="packages"></ol>
<p class="muted">Best match: 0.4 × how well the words match + 0.3 × popularity (downloads) + 0.2 × freshness (updated in the last year) + 0.1 × quality (README, tests, examples).</p>`;
  return renderPage({
    path: SEARCH_PAGE,
    title: 'Search',
    main,
    scripts: [SCRIPTS.minisearch, SCRIPTS.ranking, SEARCH_DATA, SCRIPTS.search],
    registryName: model.registryName,
  });
}

export function lookupFile(model: SiteModel): SiteFile {
  const link = relativeLinker(LOOKUP_PAGE);
  const main = markup`<h1>Look up a hash</h1>
<p>Which package version has this tarball? Paste its SHA-256 (the <code>.sha256</code> file next to a release asset, or a lockfile's <code>integrity</code>), or the content hash of its files.</p>
<noscript><p class="notice">Looking a hash up needs JavaScript: the page reads the table of every version's hashes (<a href="${link(HASH_DATA)}">${HASH_DATA}</a>), which is too large to show as a page. Without scripts, search that file for the hash.</p></noscript>
<form class="search" id="lookup" action="${link(LOOKUP_PAGE)}" method="get">
<label for="hash">SHA-256, integrity or content hash <input id="hash" type="text" name="hash" autocomplete="off" spellcheck="false"></label>
<button type="submit">Look up</button>
</form>
<p id="status" role="status"></p>
<ul id="results" class="packages"></ul>`;
  return renderPage({
    path: LOOKUP_PAGE,
    title: 'Look up a hash',
    main,
    scripts: [HASH_DATA, SCRIPTS.lookup],
    registryName: model.registryName,
  });
}

/** Served by a static host for any missing URL, so its links start at the base path. */
export function notFoundFile(model: SiteModel, basePath: string): SiteFile {
  const link = absoluteLinker(basePath);
  return renderPage({
    path: NOT_FOUND_PAGE,
    title: 'Not found',
    main: markup`<h1>Not found</h1>
<p>There is no page at this address. Try <a href="${link(HOME_PAGE)}">the home page</a>, <a href="${link(PACKAGES_PAGE)}">all packages</a> or <a href="${link(SEARCH_PAGE)}">search</a>.</p>`,
    registryName: model.registryName,
    linker: link,
  });
}
