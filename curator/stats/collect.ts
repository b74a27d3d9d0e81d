/**
 * `stats collect`: read how often each tarball was downloaded from the stores that count (GitHub Releases),
 * add the day's growth to stats/downloads.json and commit it on the index branch, at most once a UTC day.
 * The commit goes through the one writer of the index branch (compare-and-swap on its tip), beside the
 * signed index and outside it: nothing is re-signed.
 */
import { LimitError, UsageError } from '../../core/errors.js';
import { parseDownloadStats, serializeDownloadStats, STATS_FILE, utcDay } from '../../core/download-stats.js';
import type { DownloadStatsFile } from '../../schema/types.js';
import { registryAt } from '../curate/curate.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { checkBranchName, commitIndex } from '../index/index-branch.js';
import type { ReleaseStore } from '../stores/store.js';
import { collectionDue, countedToday, nextDownloadStats, type CumulativeCounts } from './daily-counts.js';

export interface CollectOptions {
  repoDir: string;
  /** The stores to ask; those that keep no counts (`fs:`) are skipped, and with none left the file says so. */
  stores: readonly ReleaseStore[];
  /** Default: registry.yaml `indexBranch` at HEAD. */
  indexBranch?: string;
  /** The time of the collection (default now): it dates the day's counts. */
  now?: number;
  /** Collect even if a collection already ran on this UTC day (its counts are added to that day). */
  force?: boolean;
  log?: (line: string) => void;
}

export interface CollectReport {
  /**
   * `collected`: counted and committed; `not-due`: already counted on this UTC day; `no-index`: there is no
   * index branch yet; `unchanged`: no store counts downloads and the file already says so.
   */
  outcome: 'collected' | 'not-due' | 'no-index' | 'unchanged';
  branch: string;
  /** What the stats file on the branch now says (undefined without an index branch or a file). */
  source: DownloadStatsFile['source'] | undefined;
  updatedAt: string | undefined;
  /** The new commit on the index branch, when one was made. */
  indexCommit: string | undefined;
  /** The stores that were asked for counts (their specs). */
  counted: string[];
  packages: number;
  /** Every download counted so far, over every package. */
  total: number;
  /** Downloads dated on the day of this collection. */
  today: number;
  /** Why the file on the branch was set aside and started anew (it could not be read). */
  restarted?: string;
}

/** Collect, unless it is not due; see CollectReport for the outcomes. */
export async function collectDownloadStats(options: CollectOptions): Promise<CollectReport> {
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    const now = options.now ?? Date.now();
    const branch = checkBranchName(options.indexBranch ?? (await registryBranch(git)));
    const counting = options.stores.filter((s) => s.downloadCounts !== undefined);
    const report: CollectReport = {
      outcome: 'no-index',
      branch,
      source: undefined,
      updatedAt: undefined,
      indexCommit: undefined,
      counted: counting.map((s) => s.spec),
      packages: 0,
      total: 0,
      today: 0,
    };
    const tip = await git.resolveRef(`refs/heads/${branch}`);
    if (tip === undefined) return report;

    const bytes = await git.objects.read(`${tip}:${STATS_FILE}`);
    let previous: DownloadStatsFile | undefined;
    if (bytes !== undefined) {
      try {
        previous = parseDownloadStats(bytes, `${branch}:${STATS_FILE}`);
      } catch (error) {
        // Too large to read is no damage: starting over would lose every total, so say so instead.
        if (error instanceof LimitError) throw error;
        // Our own file, damaged or edited by hand: the counts start over rather than stop for good.
        report.restarted = (error as Error).message;
        options.log?.(`${branch}:${STATS_FILE} cannot be read (${report.restarted}); the counts start anew`);
      }
    }
    const describe = (file: DownloadStatsFile | undefined, outcome: CollectReport['outcome']): CollectReport => ({
      ...report,
      outcome,
      source: file?.source,
      updatedAt: file?.updatedAt,
      packages: file === undefined ? 0 : Object.keys(file.packages).length,
      total: file === undefined ? 0 : Object.values(file.packages).reduce((n, p) => n + p.total, 0),
      today: file === undefined || outcome !== 'collected' ? 0 : countedToday(file),
    });
    if (options.force !== true && !collectionDue(previous, now)) return describe(previous, 'not-due');
    if (counting.length === 0 && previous?.source === 'none') return describe(previous, 'unchanged');

    const counts = counting.length === 0 ? undefined : await cumulativeCounts(counting);
    const next = nextDownloadStats(previous, counts, now);
    const committed = await commitIndex(git, {
      branch,
      parent: tip,
      changes: new Map([[STATS_FILE, serializeDownloadStats(next)]]),
      message: commitMessage(next, counting),
      date: new Date(now).toISOString(),
    });
    return { ...describe(next, 'collected'), indexCommit: committed.commit };
  } finally {
    git.close();
  }
}

/** What every counting store reports, summed per version (a mirror store's downloads count too). */
async function cumulativeCounts(stores: readonly ReleaseStore[]): Promise<CumulativeCounts> {
  const counts = new Map<string, Map<string, number>>();
  for (const store of stores) {
    for (const c of await store.downloadCounts!()) {
      let versions = counts.get(c.name);
      if (versions === undefined) counts.set(c.name, (versions = new Map()));
      versions.set(c.version, (versions.get(c.version) ?? 0) + c.downloads);
    }
  }
  return counts;
}

function commitMessage(file: DownloadStatsFile, stores: readonly ReleaseStore[]): string {
  const day = utcDay(Date.parse(file.updatedAt));
  if (file.source === 'none') return `Download counts: none (the stores keep no counts)\n\nAs of ${file.updatedAt}.\n`;
  const total = Object.values(file.packages).reduce((n, p) => n + p.total, 0);
  return `Download counts of ${day}: ${countedToday(file)} new, ${total} in all\n\nFrom ${stores.map((s) => s.spec).join(', ')} at ${file.updatedAt}.\n`;
}

/** registry.yaml's `indexBranch` at HEAD, as `index refresh` reads it. */
async function registryBranch(git: Git): Promise<string> {
  const head = await git.resolveRef('HEAD');
  if (head === undefined) throw new UsageError('the registry repository has no commits', { where: git.dir });
  return (await registryAt(git.objects, head)).indexBranch;
}
