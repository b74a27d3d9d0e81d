/**
 * Everything the site shows, read once from a verified index: every package with its lines, its latest
 * version, who depends on it, its scope and keywords, the recent publications, and the hashes to look up.
 * `siteModel` is the pure part; `readSiteModel` reads the index through the client.
 */
import { parseName } from '../../core/names.js';
import { compareVersions } from '../../core/versions.js';
import type { IndexLine, PackageSummary, PackagesFile, Snapshot } from '../../schema/types.js';
import { DEFAULT_JOBS } from '../defaults.js';
import { mapParallel } from '../fetch/parallel.js';
import { latestVersion } from '../info.js';
import type { Registry } from '../types.js';

/**
 * Download counts per package, when the registry publishes them (stats/downloads.json beside the index,
 * written by `granary stats collect`: client/site/read-stats.ts). Without them the site says there are
 * none yet and the ranking's popularity term is 0.
 */
export interface DownloadStats {
  /** Per package: what "most downloaded" ranks by, search sorts by and its popularity term scores. */
  downloads: ReadonlyMap<string, number>;
  /** What the counts cover, as people read it (`all time`). */
  period: string;
  /** False when the registry's stores keep no download counts: the pages say so rather than show zeros. */
  kept?: boolean;
  /** Each package's downloads per UTC day over the last 30, for its page's chart. */
  daily?: ReadonlyMap<string, DailyDownloads>;
}

/** One package's last 30 days. */
export interface DailyDownloads {
  /** The 30 UTC days ending on the day the counts were taken, oldest first; 0 for a day without downloads. */
  days: ReadonlyArray<{ date: string; downloads: number }>;
  /** The first day with counts, when it falls inside the 30 (counting began then): earlier days are unknown. */
  countedFrom?: string;
}

export interface Dependent {
  name: string;
  /** The range the dependent's latest version asks for. */
  range: string;
}

export interface SitePackage {
  name: string;
  summary: PackageSummary;
  /** Every line, oldest version first. */
  lines: IndexLine[];
  /** The highest version that is not a prerelease, yanked or unpublished. */
  latest: IndexLine | undefined;
  /** The version the page is about: `latest`, else the newest one not unpublished (undefined when all are). */
  shown: IndexLine | undefined;
  scope: string | undefined;
  /** Packages whose latest version depends on this one, by name. */
  dependents: Dependent[];
}

export interface SiteModel {
  registryName: string;
  snapshot: Snapshot;
  /** By name (byte order). */
  packages: SitePackage[];
  byName: ReadonlyMap<string, SitePackage>;
  /** `@scope` → its packages, scopes in byte order. */
  scopes: ReadonlyMap<string, SitePackage[]>;
  /** Keyword → packages listing it, keywords in byte order. */
  keywords: ReadonlyMap<string, SitePackage[]>;
  /** Versions published (not unpublished), newest first. */
  recent: IndexLine[];
  versions: number;
  stats: DownloadStats | undefined;
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The model of a registry from its summaries and lines. */
export function siteModel(input: {
  registryName: string;
  snapshot: Snapshot;
  packages: PackagesFile;
  lines: ReadonlyMap<string, IndexLine[]>;
  stats?: DownloadStats;
}): SiteModel {
  const packages: SitePackage[] = input.packages.packages
    .map((summary) => {
      const lines = [...(input.lines.get(summary.name) ?? [])].sort((a, b) => compareVersions(a.version, b.version));
      const latest = latestVersion(lines);
      const shown = latest ?? [...lines].reverse().find((l) => !l.unpublished);
      return {
        name: summary.name,
        summary,
        lines,
        latest,
        shown,
        scope: summary.name.startsWith('@') ? `@${parseName(summary.name).scope}` : undefined,
        dependents: [],
      };
    })
    .sort(byName);
  const index = new Map(packages.map((p) => [p.name, p]));
  for (const p of packages)
    for (const [dependency, range] of Object.entries(p.latest?.dependencies ?? {}))
      index.get(dependency)?.dependents.push({ name: p.name, range });
  for (const p of packages) p.dependents.sort(byName);

  const scopes = new Map<string, SitePackage[]>();
  const keywords = new Map<string, SitePackage[]>();
  for (const p of packages) {
    if (p.scope !== undefined) push(scopes, p.scope, p);
    for (const k of new Set(p.summary.keywords ?? [])) push(keywords, k, p);
  }
  const live = packages.flatMap((p) => p.lines.filter((l) => !l.unpublished));
  const recent = [...live].sort(
    (a, b) =>
      (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0) ||
      byName(a, b) ||
      compareVersions(b.version, a.version),
  );
  return {
    registryName: input.registryName,
    snapshot: input.snapshot,
    packages,
    byName: index,
    scopes: sortedMap(scopes),
    keywords: sortedMap(keywords),
    recent,
    versions: live.length,
    stats: input.stats,
  };
}

/** Read the model from an opened (verified) registry. */
export async function readSiteModel(
  registry: Registry,
  options: { jobs?: number; stats?: DownloadStats } = {},
): Promise<SiteModel> {
  const packages = await registry.packages();
  const lines = await mapParallel(packages.packages, options.jobs ?? DEFAULT_JOBS, (p) => registry.lines(p.name));
  return siteModel({
    registryName: registry.config.name,
    snapshot: registry.snapshot,
    packages,
    lines: new Map(packages.packages.map((p, i) => [p.name, lines[i]!])),
    ...(options.stats === undefined ? {} : { stats: options.stats }),
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sortedMap<V>(map: Map<string, V>): Map<string, V> {
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
