/** Pages that list packages, for browsing without JavaScript: all packages, one scope, one keyword, and the scope and keyword indexes. */
import { markup, type Html } from '../html.js';
import { renderPage, type SiteFile } from '../layout.js';
import {
  KEYWORDS_PAGE,
  PACKAGES_PAGE,
  SCOPES_PAGE,
  keywordPage,
  packagePage,
  relativeLinker,
  scopePage,
  type Linker,
} from '../paths.js';
import type { SiteModel, SitePackage } from '../site-model.js';

/** Packages as a list: name, latest version, marks, description. */
export function packageList(packages: readonly SitePackage[], link: Linker): Html {
  return markup`<ul class="packages">
${packages.map(
  (p) =>
    markup`<li><a href="${link(packagePage(p.name))}">${p.name}</a> <span class="muted">${p.latest?.version ?? 'no stable version'}</span>${
      p.summary.deprecated ? markup` <span class="badge deprecated">deprecated</span>` : ''
    }${p.summary.description ? markup`<p>${p.summary.description}</p>` : ''}</li>\n`,
)}</ul>`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function allPackagesFile(model: SiteModel): SiteFile {
  const link = relativeLinker(PACKAGES_PAGE);
  return renderPage({
    path: PACKAGES_PAGE,
    title: 'All packages',
    main: markup`<h1>All packages</h1>
<p>${count(model.packages.length, 'package', 'packages')}, by name.</p>
${packageList(model.packages, link)}`,
    registryName: model.registryName,
  });
}

export function scopeFile(model: SiteModel, scope: string, packages: readonly SitePackage[]): SiteFile {
  const path = scopePage(scope);
  return renderPage({
    path,
    title: `Scope ${scope}`,
    main: markup`<h1>Scope ${scope}</h1>
<p>${count(packages.length, 'package', 'packages')} named <code>${scope}/…</code>.</p>
${packageList(packages, relativeLinker(path))}`,
    registryName: model.registryName,
  });
}

export function keywordFile(model: SiteModel, keyword: string, packages: readonly SitePackage[]): SiteFile | undefined {
  const path = keywordPage(keyword);
  if (path === undefined) return undefined;
  return renderPage({
    path,
    title: `Keyword ${keyword}`,
    main: markup`<h1>Keyword ${keyword}</h1>
<p>${count(packages.length, 'package lists', 'packages list')} this keyword.</p>
${packageList(packages, relativeLinker(path))}`,
    registryName: model.registryName,
  });
}

export function scopesFile(model: SiteModel): SiteFile {
  const link = relativeLinker(SCOPES_PAGE);
  const list =
    model.scopes.size === 0
      ? markup`<p>No package of this registry has a scoped name.</p>`
      : markup`<ul>
${[...model.scopes].map(
  ([scope, packages]) =>
    markup`<li><a href="${link(scopePage(scope))}">${scope}</a> <span class="muted">${count(packages.length, 'package', 'packages')}</span></li>\n`,
)}</ul>`;
  return renderPage({
    path: SCOPES_PAGE,
    title: 'Scopes',
    main: markup`<h1>Scopes</h1>
${list}`,
    registryName: model.registryName,
  });
}

export function keywordsFile(model: SiteModel): SiteFile {
  const link = relativeLinker(KEYWORDS_PAGE);
  const keywords = [...model.keywords].filter(([k]) => keywordPage(k) !== undefined);
  const list =
    keywords.length === 0
      ? markup`<p>No package of this registry lists keywords.</p>`
      : markup`<ul class="inline">
${keywords.map(
  ([k, packages]) =>
    markup`<li><a href="${link(keywordPage(k)!)}">${k}</a> <span class="muted">(${packages.length})</span></li>\n`,
)}</ul>`;
  return renderPage({
    path: KEYWORDS_PAGE,
    title: 'Keywords',
    main: markup`<h1>Keywords</h1>
${list}`,
    registryName: model.registryName,
  });
}
