/** One package's page: what it is, how to install it, its README, dependencies, dependents, versions and revisions. */
import { isGitHubLogin } from '../../../core/names.js';
import { isPrerelease } from '../../../core/versions.js';
import type { IndexLine } from '../../../schema/types.js';
import { downloadsFact } from '../downloads.js';
import { markup, trustedHtml, type Html } from '../html.js';
import { date, renderPage, type SiteFile } from '../layout.js';
import type { PackageFacts } from '../package-facts.js';
import { keywordPage, packagePage, relativeLinker, scopePage, type Linker } from '../paths.js';
import { renderReadme } from '../readme.js';
import { revisionChanges, type RevisionChange } from '../revisions.js';
import type { SiteModel, SitePackage } from '../site-model.js';
import { sourceLinks, type SourceLinks } from '../source-link.js';

export interface PackagePageInput {
  model: SiteModel;
  pkg: SitePackage;
  /** From the shown version's tarball; undefined when it could not be read (`problem` says why). */
  facts: PackageFacts | undefined;
  problem?: string;
}

const EXTERNAL = 'nofollow ugc noopener noreferrer';

export function packagePageFile({ model, pkg, facts, problem }: PackagePageInput): SiteFile {
  const path = packagePage(pkg.name);
  const link = relativeLinker(path);
  const { summary, shown } = pkg;
  const source = shown && facts?.version === shown.version ? sourceLinks(facts.location, shown.commit) : undefined;
  const install = pkg.latest
    ? markup`<pre><code>granary install ${pkg.name}</code></pre>`
    : markup`<p>No version of ${pkg.name} installs by default: every version is a prerelease, yanked or unpublished.${
        shown ? markup` Name one to install it anyway: <code>granary install ${pkg.name}@${shown.version}</code>.` : ''
      }</p>`;
  const main = markup`<h1>${pkg.name}${summary.deprecated ? markup` <span class="badge deprecated">deprecated</span>` : ''}</h1>
${summary.description ? markup`<p class="lede">${summary.description}</p>\n` : ''}${
    summary.deprecated ? markup`<p class="notice"><strong>Deprecated:</strong> ${summary.deprecated}</p>\n` : ''
  }<h2>Install</h2>
${install}
${facts_(model, pkg, link, shown, source)}
<h2>README</h2>
${readmeSection(pkg, shown, facts, problem, source)}
<h2>Dependencies</h2>
${dependencies(model, shown, link)}
<h2>Dependents</h2>
${dependents(pkg, link)}
<h2>Versions</h2>
${versions(pkg)}
<h2>Revisions</h2>
${revisions(model, pkg, link)}`;
  return renderPage({
    path,
    title: pkg.name,
    ...(summary.description ? { description: summary.description } : {}),
    main,
    registryName: model.registryName,
  });
}

function facts_(
  model: SiteModel,
  pkg: SitePackage,
  link: Linker,
  shown: IndexLine | undefined,
  source: SourceLinks | undefined,
): Html {
  const { summary } = pkg;
  const keywords = summary.keywords ?? [];
  const owners = summary.owners ?? [];
  const homepage = summary.homepage && /^https?:\/\//i.test(summary.homepage) ? summary.homepage : undefined;
  const ownerList =
    owners.length === 0
      ? 'not listed'
      : markup`<ul class="inline">${owners.map((o) =>
          isGitHubLogin(o)
            ? markup`<li><a href="https://github.com/${o}" rel="${EXTERNAL}">${o}</a></li>`
            : markup`<li>${o}</li>`,
        )}</ul>`;
  const keywordList =
    keywords.length === 0
      ? 'none'
      : markup`<ul class="inline">${keywords.map((k) => {
          const page = keywordPage(k);
          return page ? markup`<li><a href="${link(page)}">${k}</a></li>` : markup`<li>${k}</li>`;
        })}</ul>`;
  return markup`<dl class="facts">
<dt>Latest version</dt><dd>${pkg.latest ? markup`${pkg.latest.version}, published ${date(pkg.latest.publishedAt)}` : 'none'}</dd>
${pkg.scope ? markup`<dt>Scope</dt><dd><a href="${link(scopePage(pkg.scope))}">${pkg.scope}</a></dd>\n` : ''}<dt>License</dt><dd>${summary.license ?? shown?.license ?? 'not given'}</dd>
<dt>Owners</dt><dd>${ownerList}</dd>
<dt>Keywords</dt><dd>${keywordList}</dd>
${homepage ? markup`<dt>Homepage</dt><dd><a href="${homepage}" rel="${EXTERNAL}">${homepage}</a></dd>\n` : ''}${shown ? tarballFacts(pkg, shown, source) : ''}<dt>Downloads</dt><dd>${downloadsFact(model, pkg.name)}</dd>
</dl>`;
}

/** Where the shown version came from and what its tarball is. */
function tarballFacts(pkg: SitePackage, shown: IndexLine, source: SourceLinks | undefined): Html {
  const where = source?.tree
    ? markup`<a href="${source.tree}" rel="${EXTERNAL}">${source.display} at ${shown.commit.slice(0, 12)}</a>`
    : markup`${source ? markup`${source.display} at ` : ''}commit <code>${shown.commit}</code> (tag ${shown.ref})`;
  const which =
    shown.version === pkg.latest?.version ? '' : markup` <span class="muted">(version ${shown.version})</span>`;
  return markup`<dt>Source</dt><dd>${where}${which}</dd>
<dt>Tarball</dt><dd>${kib(shown.size)}, SHA-256 <code>${shown.sha256}</code>${
    shown.contentHash ? markup`, content hash <code>${shown.contentHash}</code>` : ''
  }</dd>
`;
}

function readmeSection(
  pkg: SitePackage,
  shown: IndexLine | undefined,
  facts: PackageFacts | undefined,
  problem: string | undefined,
  source: SourceLinks | undefined,
): Html {
  if (!shown) return markup`<p>Every version of ${pkg.name} is unpublished: there is no tarball to read.</p>`;
  if (!facts)
    return markup`<p>The README of ${shown.version} could not be read${problem ? markup`: ${problem}` : ''}.</p>`;
  if (!facts.readme) return markup`<p>Version ${shown.version} has no README.</p>`;
  return markup`<div class="readme">
${facts.readme.html === undefined ? renderReadme(facts.readme.text, facts.readme.file, source) : trustedHtml(facts.readme.html)}
</div>
<p class="muted">${facts.readme.file} of version ${shown.version}.</p>`;
}

function dependencies(model: SiteModel, shown: IndexLine | undefined, link: Linker): Html {
  const deps = Object.entries(shown?.dependencies ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!shown || deps.length === 0) return markup`<p>None${shown ? markup` (version ${shown.version})` : ''}.</p>`;
  return markup`<table>
<caption class="visually-hidden">Dependencies of version ${shown.version}</caption>
<thead><tr><th scope="col">Package</th><th scope="col">Range</th></tr></thead>
<tbody>
${deps.map(([name, range]) => markup`<tr><td>${nameLink(model, link, name)}</td><td><code>${range}</code></td></tr>\n`)}</tbody>
</table>`;
}

function dependents(pkg: SitePackage, link: Linker): Html {
  if (pkg.dependents.length === 0) return markup`<p>No package's latest version depends on ${pkg.name}.</p>`;
  return markup`<p>The latest versions of these packages depend on ${pkg.name}:</p>
<ul class="inline">${pkg.dependents.map(
    (d) => markup`<li><a href="${link(packagePage(d.name))}">${d.name}</a> <code>${d.range}</code></li>`,
  )}</ul>`;
}

function marks(line: IndexLine): Html {
  const out: Html[] = [];
  if (line.unpublished)
    out.push(
      markup`<span class="badge unpublished">unpublished</span> ${date(line.unpublished.at)}: ${line.unpublished.reason}`,
    );
  if (line.yanked) out.push(markup`<span class="badge yanked">yanked</span>`);
  if (line.deprecated) out.push(markup`<span class="badge deprecated">deprecated</span> ${line.deprecated}`);
  if (isPrerelease(line.version)) out.push(markup`<span class="badge">prerelease</span>`);
  return markup`${out.map((m, i) => markup`${i > 0 ? '; ' : ''}${m}`)}`;
}

function versions(pkg: SitePackage): Html {
  const newestFirst = [...pkg.lines].reverse();
  return markup`<table>
<caption class="visually-hidden">Every version of ${pkg.name}, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Status</th><th scope="col">Revision</th><th scope="col">Commit</th></tr></thead>
<tbody>
${newestFirst.map(
  (l) =>
    markup`<tr><th scope="row">${l.version}</th><td>${date(l.publishedAt)}</td><td>${marks(l)}</td><td>${l.revision}</td><td><code>${l.commit.slice(0, 12)}</code></td></tr>\n`,
)}</tbody>
</table>`;
}

function revisions(model: SiteModel, pkg: SitePackage, link: Linker): Html {
  const revised = [...pkg.lines].reverse().filter((l) => (l.history ?? []).length > 0);
  if (revised.length === 0)
    return markup`<p>No version was revised: every version has the dependencies and marks it was published with.</p>`;
  const nameOf = (name: string) => nameLink(model, link, name);
  return markup`<p>A trustee or owner can change a published version's bounds, or yank or deprecate it, without touching its tarball; each change is a new revision.</p>
${revised.map(
  (l) => markup`<h3>${l.version}</h3>
<ol>
${revisionChanges(l).map((c) => markup`<li>${change(c, nameOf)}</li>\n`)}</ol>
`,
)}`;
}

function change(c: RevisionChange, nameOf: (name: string) => Html): Html {
  const items: Html[] = c.dependencies.map((b) => {
    const name = nameOf(b.name);
    if (b.from === undefined)
      return markup`${name}: <ins><span class="visually-hidden">added </span><code>${b.to}</code></ins>`;
    if (b.to === undefined)
      return markup`${name}: <del><span class="visually-hidden">removed </span><code>${b.from}</code></del>`;
    return markup`${name}: <del><span class="visually-hidden">from </span><code>${b.from}</code></del> → <ins><span class="visually-hidden">to </span><code>${b.to}</code></ins>`;
  });
  if (c.yanked) items.push(markup`${c.yanked.to ? 'yanked' : 'no longer yanked'}`);
  if (c.deprecated)
    items.push(c.deprecated.to === undefined ? markup`no longer deprecated` : markup`deprecated: ${c.deprecated.to}`);
  const who =
    c.by === undefined
      ? ''
      : markup` by ${c.by}${c.approvedBy ? markup` (approved by ${c.approvedBy.join(', ')})` : ''}`;
  return markup`<p><strong>Revision ${c.revision}</strong>, ${date(c.at)}${who}${c.reason ? markup`: ${c.reason}` : ''}</p>
<ul class="diff">${items.map((i) => markup`<li>${i}</li>`)}</ul>`;
}

/** A link to a package's page, or its name when the registry has no such package. */
function nameLink(model: SiteModel, link: Linker, name: string): Html {
  return model.byName.has(name)
    ? markup`<a href="${link(packagePage(name))}">${name}</a>`
    : markup`${name} <span class="muted">(not in this registry)</span>`;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;
}
