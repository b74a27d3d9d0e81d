/** The packages.json entry of one package, updated event by event so curate and `index build` agree. */
import { compareVersions } from '../../core/versions.js';
import type { IndexLine, PackageDefinition, PackageSummary } from '../../schema/types.js';

/** What a summary takes from the definition of a version just published. */
export type PublishedDescription = Pick<
  PackageDefinition,
  'name' | 'version' | 'description' | 'keywords' | 'license' | 'homepage' | 'owners'
>;

/**
 * The summary after a change to a package's lines at `at`. `published` is the definition just
 * published, if any: descriptive fields (and owners, when it lists them) follow the highest
 * published version, so a backport does not overwrite the description of the newest release.
 */
export function summarize(
  previous: PackageSummary | undefined,
  lines: Iterable<IndexLine>,
  at: string,
  published?: PublishedDescription,
): PackageSummary {
  // One pass: count live versions, find the latest usable one, and whether `published` is the highest.
  let versions = 0;
  let highest = true;
  let latest: IndexLine | undefined;
  let name = published?.name;
  for (const line of lines) {
    name ??= line.name;
    if (line.unpublished !== undefined) continue;
    versions++;
    if (
      published !== undefined &&
      highest &&
      line.version !== published.version &&
      compareVersions(line.version, published.version) > 0
    )
      highest = false;
    // Versions are validated SemVer without build metadata, so a prerelease is exactly one with a '-'.
    if (line.yanked || line.version.includes('-')) continue;
    if (latest === undefined || compareVersions(line.version, latest.version) > 0) latest = line;
  }
  const summary: PackageSummary = { ...(previous ?? { name: name ?? '', latest: null, versions: 0 }) };
  if (published !== undefined && highest) {
    setOrDelete(summary, 'description', published.description);
    setOrDelete(summary, 'keywords', published.keywords);
    setOrDelete(summary, 'license', published.license);
    setOrDelete(summary, 'homepage', published.homepage);
    if (published.owners !== undefined) summary.owners = [...published.owners];
  }
  summary.latest = latest?.version ?? null;
  summary.versions = versions;
  summary.updatedAt = at;
  setOrDelete(summary, 'deprecated', latest?.deprecated);
  return summary;
}

function setOrDelete<K extends keyof PackageSummary>(
  summary: PackageSummary,
  key: K,
  value: PackageSummary[K] | undefined,
): void {
  if (value === undefined) delete summary[key];
  else summary[key] = Array.isArray(value) ? ([...value] as PackageSummary[K]) : value;
}
