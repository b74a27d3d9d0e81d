/** The home page: what the registry holds, a search box, the latest publications, most downloaded, keywords and scopes. */
import { markup, type Html } from '../html.js';
import { date, renderPage, type SiteFile } from '../layout.js';
import {
  HOME_PAGE,
  KEYWORDS_PAGE,
  SCOPES_PAGE,
  SEARCH_PAGE,
  keywordPage,
  packagePage,
  relativeLinker,
  scopePage,
  type Linker,
} from '../paths.js';
import type { SiteModel } from '../site-model.js';

/** Lists on the home page stay short: it is the page everyone loads (at most 100 KB with its stylesheet). */
export const HOME_LIMITS = { recent: 15, downloaded: 10, keywords: 40, scopes: 20 };

export function homeFile(model: SiteModel): SiteFile {
  const link = relativeLinker(HOME_PAGE);
  const main = markup`<h1>${model.registryName}</h1>
<ul class="stats">
<li><strong>${model.packages.length}</strong> packages</li>
<li><strong>${model.versions}</strong> versions</li>
<li><strong>${model.scopes.size}</strong> scopes</li>
<li><strong>${model.keywords.size}</strong> keywords</li>
</ul>
<form class="search" action="${link(SEARCH_PAGE)}" method="get" role="search">
<label for="home-q">Search packages <input id="home-q" type="search" name="q"></label>
<button type="submit">Search</button>
</form>
<h2>Recently published</h2>
${recent(model, link)}
<h2>Most downloaded</h2>
${downloaded(model, link)}
<h2>Keywords</h2>
${keywords(model, link)}
<h2>Scopes</h2>
${scopes(model, link)}
<p class="muted">Index snapshot ${model.snapshot.version}${model.snapshot.createdAt ? markup`, curated ${date(model.snapshot.createdAt)}` : ''}.</p>`;
  return renderPage({
    path: HOME_PAGE,
    title: 'Packages',
    description: `The packages of ${model.registryName}`,
    main,
    registryName: model.registryName,
  });
}

function recent(model: SiteModel, link: Linker): Html {
  const lines = model.recent.slice(0, HOME_LIMITS.recent);
  if (lines.length === 0) return markup`<p>Nothing is published yet.</p>`;
  return markup`<ul class="packages">
${lines.map((l) => {
  const description = model.byName.get(l.name)?.summary.description;
  return markup`<li><a href="${link(packagePage(l.name))}">${l.name}</a> ${l.version} <span class="muted">${date(l.publishedAt)}</span>${
    description ? markup`<p>${description}</p>` : ''
  }</li>\n`;
})}</ul>`;
}

/** The most downloaded packages, once the registry publishes download counts. */
function downloaded(model: SiteModel, link: Linker): Html {
  const stats = model.stats;
  if (stats === undefined) return markup`<p>No download counts yet: this registry does not publish them.</p>`;
  if (stats.kept === false) return markup`<p>Not counted: this registry's store keeps no download counts.</p>`;
  const top = model.packages
    .map((p) => ({ name: p.name, n: stats.downloads.get(p.name) ?? 0 }))
    .filter((d) => d.n > 0)
    .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1))
    .slice(0, HOME_LIMITS.downloaded);
  if (top.length === 0) return markup`<p>No downloads counted (${stats.period}).</p>`;
  return markup`<ol>
${top.map((d) => markup`<li><a href="${link(packagePage(d.name))}">${d.name}</a> <span class="muted">${d.n.toLocaleString('en')}</span></li>\n`)}</ol>
<p class="muted">Downloads, ${stats.period}.</p>`;
}

function keywords(model: SiteModel, link: Linker): Html {
  const top = [...model.keywords]
    .filter(([k]) => keywordPage(k) !== undefined)
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))
    .slice(0, HOME_LIMITS.keywords);
  if (top.length === 0) return markup`<p>No package lists keywords.</p>`;
  return markup`<ul class="inline">
${top.map(([k, list]) => markup`<li><a href="${link(keywordPage(k)!)}">${k}</a> <span class="muted">(${list.length})</span></li>\n`)}</ul>
<p><a href="${link(KEYWORDS_PAGE)}">Every keyword</a></p>`;
}

function scopes(model: SiteModel, link: Linker): Html {
  const top = [...model.scopes].slice(0, HOME_LIMITS.scopes);
  if (top.length === 0) return markup`<p>No package has a scoped name.</p>`;
  return markup`<ul class="inline">
${top.map(([scope, list]) => markup`<li><a href="${link(scopePage(scope))}">${scope}</a> <span class="muted">(${list.length})</span></li>\n`)}</ul>
<p><a href="${link(SCOPES_PAGE)}">Every scope</a></p>`;
}
