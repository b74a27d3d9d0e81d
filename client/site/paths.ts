/**
 * Where each page of the site lives, and links between pages. Every link is relative (`../` as deep as
 * the page is), so the site works from file:// and under any path of any static host; only 404.html,
 * which a host serves at whatever URL was missing, links from the base path.
 */
import { UsageError, shown } from '../../core/errors.js';
import { nameError } from '../../core/names.js';

export const HOME_PAGE = 'index.html';
export const SEARCH_PAGE = 'search.html';
export const LOOKUP_PAGE = 'lookup.html';
export const PACKAGES_PAGE = 'packages.html';
export const SCOPES_PAGE = 'scopes.html';
export const KEYWORDS_PAGE = 'keywords.html';
export const NOT_FOUND_PAGE = '404.html';
export const STYLESHEET = 'assets/site.css';
export const SEARCH_DATA = 'data/search-index.js';
/** The site's scripts; a page loads those it needs in this order (all `defer`). */
export const SCRIPTS = {
  minisearch: 'assets/minisearch.js',
  ranking: 'assets/ranking.js',
  search: 'assets/search.js',
  lookup: 'assets/lookup.js',
} as const;
export const HASH_DATA = 'data/hashes.js';

/** How one page names another: a relative link, or (404.html) one from the base path. */
export type Linker = (to: string) => string;

/** A package's page: `package/left-pad.html`, `package/@acme/widgets.html`. */
export function packagePage(name: string): string {
  const problem = nameError(name);
  if (problem) throw new TypeError(`not a package name: ${JSON.stringify(name)} (${problem})`);
  return `package/${name}.html`;
}

/** A scope's page, for `@acme`: `scope/acme.html`. */
export function scopePage(scope: string): string {
  return `scope/${scope.replace(/^@/, '')}.html`;
}

const KEYWORD = /^[a-z0-9][a-z0-9-]{0,49}$/;

/** A keyword's page, or undefined for a keyword the definition schema would not allow (it gets no page). */
export function keywordPage(keyword: string): string | undefined {
  return KEYWORD.test(keyword) ? `keyword/${keyword}.html` : undefined;
}

/** Links from the page at `from` (a site path such as `package/@acme/widgets.html`). */
export function relativeLinker(from: string): Linker {
  const depth = from.split('/').length - 1;
  const up = '../'.repeat(depth);
  return (to) => `${up}${to}`;
}

/** Links from the base path (`/` or `/registry/`), for a page served at any URL. */
export function absoluteLinker(basePath: string): Linker {
  return (to) => `${basePath}${to}`;
}

const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

/** `--base-path` as `/x/y/`: leading and trailing slash, plain URL path segments, no `.` or `..`. */
export function normalizeBasePath(value: string): string {
  const trimmed = value.trim();
  const segments = trimmed.split('/').filter((s) => s !== '');
  if (!trimmed.startsWith('/') || segments.some((s) => s === '.' || s === '..' || !SEGMENT.test(s)))
    throw new UsageError(`--base-path must be a URL path such as /registry/, not ${shown(value)}`, {
      hint: 'give the path the site is served under on its host; / when it is served at the root',
    });
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}
