/**
 * `granary site build`: a static website from a registry's verified index — home, a page per package,
 * scope and keyword, search and lookup by hash — written into a directory incrementally. READMEs and
 * quality signals come from each package's verified tarball (latest version).
 */
import { GranaryError } from '../../core/errors.js';
import { DEFAULT_JOBS } from '../defaults.js';
import { mapParallel } from '../fetch/parallel.js';
import type { ReadOptions } from '../fetch/read-verified.js';
import type { Registry } from '../types.js';
import { staticAssets } from './assets.js';
import type { SiteFile } from './layout.js';
import { readPackageFacts, type PackageFacts, type ReadmeRenderer } from './package-facts.js';
import { homeFile } from './pages/home-page.js';
import { allPackagesFile, keywordFile, keywordsFile, scopeFile, scopesFile } from './pages/list-pages.js';
import { packagePageFile } from './pages/package-page.js';
import { lookupFile, notFoundFile, searchFile } from './pages/script-pages.js';
import { normalizeBasePath } from './paths.js';
import { README_RENDERER, renderReadme } from './readme.js';
import { hashDataFile, searchDataFile } from './search-data.js';
import { readDownloadStats } from './read-stats.js';
import { readSiteModel, type DownloadStats, type SiteModel } from './site-model.js';
import { sourceLinks } from './source-link.js';
import { writeSite } from './write-site.js';

/** READMEs are rendered as their tarballs are read (while other reads wait on the disk), and kept with the facts. */
const README_HTML: ReadmeRenderer = {
  renderer: README_RENDERER,
  render: (readme, facts, line) =>
    renderReadme(readme.text, readme.file, sourceLinks(facts.location, line.commit)).text,
};

export interface SiteOptions {
  /** Where the site goes: a new or empty directory, or one this command built before. */
  outDir: string;
  /** The URL path the site is served under (default `/`); only 404.html needs it. */
  basePath?: string;
  /** The client's cache: verified tarballs, and what the site read from each. */
  cacheDir: string;
  cwd: string;
  jobs?: number;
  read?: ReadOptions;
  /**
   * Download counts to show; by default those the registry keeps beside its index (stats/downloads.json),
   * when it has them. Without any, the site says there are none yet.
   */
  stats?: DownloadStats;
  /** One line per step, for people watching. */
  log?: (line: string) => void;
  /** What was left out and why (download counts that could not be read); default: `log`. */
  warn?: (message: string) => void;
}

/** A package whose tarball could not be read: its page shows no README, and search counts no quality. */
export interface SiteProblem {
  name: string;
  version: string;
  message: string;
}

export interface SiteReport {
  outDir: string;
  packages: number;
  versions: number;
  /** HTML pages, and all files (pages, data, stylesheet, scripts). */
  pages: number;
  files: number;
  written: number;
  unchanged: number;
  removed: number;
  /** Which files were written and removed: a rebuild after one change touches only the pages showing it. */
  changes: { written: string[]; removed: string[] };
  problems: SiteProblem[];
}

/** Build the site of `registry` into `options.outDir`. */
export async function buildSite(registry: Registry, options: SiteOptions): Promise<SiteReport> {
  const basePath = normalizeBasePath(options.basePath ?? '/');
  const jobs = options.jobs ?? DEFAULT_JOBS;
  const warn = options.warn ?? ((message: string) => options.log?.(`warning: ${message}`));
  const stats = options.stats ?? (await readDownloadStats(registry.source, warn));
  const model = await readSiteModel(registry, { jobs, ...(stats ? { stats } : {}) });
  options.log?.(
    `read ${model.packages.length} packages (${model.versions} versions) from ${registry.source.description}`,
  );

  const facts = new Map<string, PackageFacts>();
  const problems: SiteProblem[] = [];
  const readable = model.packages.filter((p) => p.shown !== undefined);
  await mapParallel(readable, jobs, async (p) => {
    const line = p.shown!;
    try {
      facts.set(
        p.name,
        await readPackageFacts(registry, line, {
          cacheDir: options.cacheDir,
          cwd: options.cwd,
          readmeHtml: README_HTML,
          ...(options.read ? { read: options.read } : {}),
        }),
      );
    } catch (error) {
      // A failure of the moment stops the build (run it again); a tarball that is missing or wrong is reported on its page.
      if (!(error instanceof GranaryError) || error.temporary) throw error;
      problems.push({ name: p.name, version: line.version, message: error.message });
    }
  });
  options.log?.(`read ${facts.size} tarballs${problems.length > 0 ? `; ${problems.length} could not be read` : ''}`);

  const files = [...(await staticAssets()), ...pages(model, facts, problems, basePath)];
  const report = await writeSite(options.outDir, files);
  problems.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    outDir: options.outDir,
    packages: model.packages.length,
    versions: model.versions,
    pages: files.filter((f) => f.path.endsWith('.html')).length,
    files: files.length,
    written: report.written.length,
    unchanged: report.unchanged,
    removed: report.removed.length,
    changes: { written: [...report.written].sort(), removed: [...report.removed].sort() },
    problems,
  };
}

/** Every page and data file of the model. */
function pages(
  model: SiteModel,
  facts: ReadonlyMap<string, PackageFacts>,
  problems: readonly SiteProblem[],
  basePath: string,
): SiteFile[] {
  const problemOf = new Map(problems.map((p) => [p.name, p.message]));
  const files: SiteFile[] = [
    homeFile(model),
    searchFile(model),
    lookupFile(model),
    allPackagesFile(model),
    scopesFile(model),
    keywordsFile(model),
    notFoundFile(model, basePath),
    searchDataFile(model, facts),
    hashDataFile(model),
  ];
  for (const pkg of model.packages) {
    const problem = problemOf.get(pkg.name);
    files.push(packagePageFile({ model, pkg, facts: facts.get(pkg.name), ...(problem ? { problem } : {}) }));
  }
  for (const [scope, list] of model.scopes) files.push(scopeFile(model, scope, list));
  for (const [keyword, list] of model.keywords) {
    const file = keywordFile(model, keyword, list);
    if (file) files.push(file);
  }
  return files;
}
