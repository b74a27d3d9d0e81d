/**
 * stats/downloads.json: what the registry's stores counted, per package and version, with the last 30
 * days day by day. One parser for the curator (which adds each day's counts) and the site builder (which
 * shows them). The file is unsigned and lives on a branch anyone can serve, so a reader treats it as
 * untrusted JSON: a size cap, the schema, and days that are real dates in order.
 */
import { InputError, LimitError } from './errors.js';
import { schemaErrors, validateDownloadStats } from '../schema/validators.js';
import type { DownloadStatsFile, PackageDownloads } from '../schema/types.js';

export { STATS_FILE } from './index-companions.js';

/** How many UTC days of daily counts the file keeps. */
export const STATS_WINDOW_DAYS = 30;

/**
 * The largest stats file read (the largest index file a source serves): a package with 50 versions and a
 * download every day takes some 2 KB, so 30,000 such packages fit.
 */
export const MAX_STATS_BYTES = 64 * 1024 * 1024;

const DAY_MS = 86_400_000;

/** The UTC day of `ms` as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first UTC day of the window that ends on `day` (`day` itself and the 29 days before it). */
export function windowStart(day: string): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - (STATS_WINDOW_DAYS - 1) * DAY_MS);
}

/** The UTC days of the window ending on `day`, oldest first. */
export function windowDays(day: string): string[] {
  const end = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: STATS_WINDOW_DAYS }, (_, i) => utcDay(end - (STATS_WINDOW_DAYS - 1 - i) * DAY_MS));
}

/** Read stats/downloads.json; an InputError (or LimitError) says what is wrong with it and where. */
export function parseDownloadStats(bytes: Uint8Array, where: string): DownloadStatsFile {
  if (bytes.byteLength > MAX_STATS_BYTES)
    throw new LimitError(`the download counts are ${bytes.byteLength} bytes, more than the ${MAX_STATS_BYTES} read`, {
      where,
      hint: 'no registry of this size is known; to count anew, delete the file from the index branch (the next collection starts it over)',
    });
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new InputError(`the download counts are not JSON: ${(error as Error).message}`, { where, cause: error });
  }
  if (!validateDownloadStats(value))
    throw new InputError(`the download counts are not a stats file: ${schemaErrors(validateDownloadStats)}`, {
      where,
      hint: 'the file is written by `granary stats collect`; a later collection starts it anew',
    });
  for (const [name, pkg] of Object.entries(value.packages)) {
    const problem = daysProblem(pkg);
    if (problem !== undefined) throw new InputError(`the download counts of ${name}: ${problem}`, { where });
  }
  return value;
}

/** Days must be real calendar days, each once, oldest first. */
function daysProblem(pkg: PackageDownloads): string | undefined {
  let previous = '';
  for (const { date } of pkg.days) {
    if (utcDay(Date.parse(`${date}T00:00:00Z`) || 0) !== date) return `${date} is not a day`;
    if (date <= previous) return `the days are not in order (${date} after ${previous})`;
    previous = date;
  }
  return undefined;
}

/** The file's bytes: its fields in a fixed order and one package per line, so a day's commit diffs by package. */
export function serializeDownloadStats(file: DownloadStatsFile): Buffer {
  const head = {
    format: file.format,
    updatedAt: file.updatedAt,
    source: file.source,
    ...(file.since === undefined ? {} : { since: file.since }),
  };
  const names = Object.keys(file.packages).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = names.map((name) => {
    const p = file.packages[name]!;
    return `${JSON.stringify(name)}:${JSON.stringify({ total: p.total, versions: p.versions, days: p.days })}`;
  });
  const open = `${JSON.stringify(head).slice(0, -1)},"packages":{`;
  return Buffer.from(lines.length === 0 ? `${open}}}\n` : `${open}\n${lines.join(',\n')}\n}}\n`, 'utf8');
}
