/** The frame every page shares: head (Content-Security-Policy first), skip link, site navigation, main, footer. */
import { markup, type Html } from './html.js';
import {
  HOME_PAGE,
  KEYWORDS_PAGE,
  LOOKUP_PAGE,
  PACKAGES_PAGE,
  SCOPES_PAGE,
  SEARCH_PAGE,
  STYLESHEET,
  relativeLinker,
  type Linker,
} from './paths.js';

/** One file of the site: its path under the output directory and its bytes. */
export interface SiteFile {
  path: string;
  bytes: string | Buffer;
}

export interface PageInput {
  path: string;
  title: string;
  description?: string;
  main: Html;
  /** Site paths of the scripts the page loads; a page without any may run none (`script-src 'none'`). */
  scripts?: string[];
  registryName: string;
  /** How the page links to others (default: relative to `path`). */
  linker?: Linker;
}

/**
 * The policy every page carries in a `<meta http-equiv>`: nothing loads but the site's own stylesheet,
 * the site's own scripts on the two pages that have some, and https images (READMEs); no inline script or
 * style, no plugins, frames or `<base>`, forms only to the site itself.
 */
export function contentSecurityPolicy(scripts: boolean): string {
  return [
    "default-src 'none'",
    `script-src ${scripts ? "'self'" : "'none'"}`,
    "style-src 'self'",
    'img-src https:',
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

const NAV: Array<[string, string]> = [
  [PACKAGES_PAGE, 'All packages'],
  [SCOPES_PAGE, 'Scopes'],
  [KEYWORDS_PAGE, 'Keywords'],
  [SEARCH_PAGE, 'Search'],
  [LOOKUP_PAGE, 'Look up a hash'],
];

/**
 * A complete page. Nothing in the frame changes from one index generation to the next (no snapshot
 * number, no build time), so a rebuild rewrites only the pages whose content changed.
 */
export function renderPage(input: PageInput): SiteFile {
  const link = input.linker ?? relativeLinker(input.path);
  const scripts = input.scripts ?? [];
  const page = markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts.length > 0)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${input.title} · ${input.registryName}</title>
${input.description ? markup`<meta name="description" content="${input.description}">\n` : ''}<link rel="stylesheet" href="${link(STYLESHEET)}">
${scripts.map((s) => markup`<script src="${link(s)}" defer></script>\n`)}</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="site">
<a class="brand" href="${link(HOME_PAGE)}">${input.registryName}</a>
<nav aria-label="Site">
<ul>
${NAV.map(([to, label]) => markup`<li><a href="${link(to)}"${to === input.path ? markup` aria-current="page"` : ''}>${label}</a></li>\n`)}</ul>
</nav>
</header>
<main id="main">
${input.main}
</main>
<footer class="site">
<p>${input.registryName} is a Granary registry. These pages were generated from its signed index.</p>
</footer>
</body>
</html>
`;
  return { path: input.path, bytes: page.text };
}

/** A timestamp as a date people read, with the machine-readable time kept. */
export function date(iso: string): Html {
  return markup`<time datetime="${iso}">${iso.slice(0, 10)}</time>`;
}
