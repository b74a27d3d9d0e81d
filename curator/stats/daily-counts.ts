/**
 * The rule that turns a day's cumulative counts into stats/downloads.json: the stores report how often each
 * tarball was downloaded since it was uploaded; what a collection adds is the growth since the previous one.
 */
import { dictionary } from '../../core/dictionary.js';
import { utcDay, windowStart } from '../../core/download-stats.js';
import { compareVersions } from '../../core/versions.js';
import type { DayDownloads, DownloadStatsFile, PackageDownloads } from '../../schema/types.js';

/** Package → version → downloads the stores report now (summed over the stores). */
export type CumulativeCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * The stats file after a collection at `now`. `counts` undefined: no store counts downloads (the file says
 * `source: none`). Rules:
 * - the first collection (or the first after `none`) only records where each count stands: its downloads
 *   happened on days nobody counted, so they go into the totals but into no day;
 * - afterwards a version adds what its count grew by since the last collection, all of it dated on the UTC
 *   day of this collection (a collection missed for a few days puts those days' downloads on the next);
 * - a version seen for the first time adds its whole count (it was uploaded since);
 * - a count that went down (the asset was deleted and uploaded again) adds nothing, and becomes the base;
 * - a version no store reports any more (unpublished) keeps its last count; totals never go down;
 * - only the last 30 UTC days are kept, and only days with downloads.
 */
export function nextDownloadStats(
  previous: DownloadStatsFile | undefined,
  counts: CumulativeCounts | undefined,
  now: number,
): DownloadStatsFile {
  const updatedAt = new Date(now).toISOString();
  const today = utcDay(now);
  if (counts === undefined) return { format: 1, updatedAt, source: 'none', packages: dictionary() };
  const baseline = previous === undefined || previous.source !== 'github-releases';
  const earlier = baseline ? dictionary<PackageDownloads>() : previous.packages;
  const first = windowStart(today);
  const names = new Set([...Object.keys(earlier), ...counts.keys()]);
  const packages = dictionary<PackageDownloads>();
  for (const name of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const before = earlier[name];
    const versions = dictionary<number>(before?.versions ?? {});
    let added = 0;
    for (const [version, count] of counts.get(name) ?? []) {
      const last = versions[version];
      added += last === undefined ? count : Math.max(0, count - last);
      versions[version] = count;
    }
    const days: DayDownloads[] = (before?.days ?? []).filter((d) => d.date >= first && d.date < today);
    const todays = (before?.days ?? []).find((d) => d.date === today)?.downloads ?? 0;
    if (!baseline && todays + added > 0) days.push({ date: today, downloads: todays + added });
    packages[name] = {
      total: (before?.total ?? 0) + added,
      versions: dictionary(Object.entries(versions).sort(([a], [b]) => compareVersions(a, b))),
      days,
    };
  }
  return {
    format: 1,
    updatedAt,
    source: 'github-releases',
    since: baseline ? today : (previous.since ?? today),
    packages,
  };
}

/** Whether a collection at `now` is due: there was none yet on its UTC day. */
export function collectionDue(previous: DownloadStatsFile | undefined, now: number): boolean {
  return previous === undefined || utcDay(Date.parse(previous.updatedAt)) !== utcDay(now);
}

/** The downloads this collection dated today, over every package. */
export function countedToday(file: DownloadStatsFile): number {
  const today = file.updatedAt.slice(0, 10);
  let sum = 0;
  for (const p of Object.values(file.packages)) sum += p.days.find((d) => d.date === today)?.downloads ?? 0;
  return sum;
}
