/**
 * Files the index branch carries beside the signed index: the daily download counts and the website.
 * Neither is a TUF target, and nothing signs them: download counts decide nothing a client installs, and
 * the website only shows what the signed index says. Verifying clients and mirrors never read them,
 * `index check` leaves them alone, and curate and `index refresh` carry them forward untouched.
 */

/** The download counts (core/download-stats.ts), written by `granary stats collect`. */
export const STATS_FILE = 'stats/downloads.json';

/** The website (`granary site publish`), served by GitHub Pages next to the index. */
export const SITE_DIR = 'site';

/** Whether `path` (relative to the index branch's root) is one of these files rather than part of the index. */
export function isCompanionFile(path: string): boolean {
  return path === STATS_FILE || path.startsWith(`${SITE_DIR}/`);
}
