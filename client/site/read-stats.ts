/**
 * The download counts a registry keeps beside its index (stats/downloads.json), read for the site through
 * the source the index was opened from. The file is signed by nothing, so it is taken as untrusted input:
 * size-capped, checked against its schema, and, when anything is wrong with it, left out with a warning:
 * the site is then built as for a registry without counts.
 */
import { MAX_STATS_BYTES, STATS_FILE, parseDownloadStats, utcDay, windowDays } from '../../core/download-stats.js';
import type { DownloadStatsFile } from '../../schema/types.js';
import type { IndexSource } from '../source.js';
import type { DailyDownloads, DownloadStats } from './site-model.js';

const DAY_MS = 86_400_000;

/** The site's view of the registry's download counts; undefined when it keeps none or they cannot be read. */
export async function readDownloadStats(
  source: IndexSource,
  warn: (message: string) => void,
): Promise<DownloadStats | undefined> {
  const where = `${source.description}: ${STATS_FILE}`;
  try {
    const bytes = await source.readFile(STATS_FILE);
    if (bytes === undefined) return undefined;
    if (bytes.byteLength > MAX_STATS_BYTES) {
      warn(`ignoring the download counts (${where}): ${bytes.byteLength} bytes, more than ${MAX_STATS_BYTES}`);
      return undefined;
    }
    return siteStats(parseDownloadStats(bytes, where));
  } catch (error) {
    warn(`ignoring the download counts (${where}): ${(error as Error).message}`);
    return undefined;
  }
}

/** A stats file as the pages show it: totals to rank by, and each package's last 30 days. */
export function siteStats(file: DownloadStatsFile): DownloadStats {
  if (file.source === 'none') return { downloads: new Map(), period: 'all time', kept: false };
  const through = utcDay(Date.parse(file.updatedAt));
  const window = windowDays(through);
  const countedFrom = file.since === undefined ? undefined : utcDay(Date.parse(`${file.since}T00:00:00Z`) + DAY_MS);
  const downloads = new Map<string, number>();
  const daily = new Map<string, DailyDownloads>();
  for (const [name, p] of Object.entries(file.packages)) {
    downloads.set(name, p.total);
    const byDay = new Map(p.days.map((d) => [d.date, d.downloads]));
    daily.set(name, {
      days: window.map((date) => ({ date, downloads: byDay.get(date) ?? 0 })),
      ...(countedFrom !== undefined && countedFrom > window[0]! ? { countedFrom } : {}),
    });
  }
  return { downloads, period: 'all time', kept: true, daily };
}
