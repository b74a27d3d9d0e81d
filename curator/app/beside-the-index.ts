/**
 * What a curation pass keeps beside the index on its branch, once the index itself is done: the download
 * counts (at most once a UTC day) and the website (when the index or the counts changed). Neither may hold
 * back a publication: a failure is logged, nothing of it is committed, and the next pass tries again.
 */
import { formatError } from '../../core/errors.js';
import { collectDownloadStats } from '../stats/collect.js';
import { publishSite } from '../site/publish-site.js';
import type { ReleaseStore } from '../stores/store.js';
import type { Logger } from './check-pull-request.js';
import type { AppDependencies } from './dependencies.js';

/** Update the counts and the site in the clone at `dir`; true when something was committed to `indexBranch`. */
export async function updateBesideTheIndex(
  target: { owner: string; repo: string; dir: string; indexBranch: string; stores: readonly ReleaseStore[] },
  deps: Pick<AppDependencies, 'downloadStats' | 'site' | 'now'>,
  log: Logger,
): Promise<boolean> {
  const name = `${target.owner}/${target.repo}`;
  let committed = false;
  if (deps.downloadStats === true) {
    try {
      const stats = await collectDownloadStats({
        repoDir: target.dir,
        indexBranch: target.indexBranch,
        stores: target.stores,
        ...(deps.now === undefined ? {} : { now: deps.now().getTime() }),
        log: (line) => log.warn(line),
      });
      if (stats.indexCommit !== undefined) {
        committed = true;
        log.info(`counted the downloads of ${name}: ${stats.today} new, ${stats.total} in all (${stats.source})`);
      }
    } catch (error) {
      log.warn(`counting the downloads of ${name} failed; the next pass tries again: ${formatError(error)}`);
    }
  }
  if (deps.site !== undefined) {
    try {
      const site = await publishSite({
        repoDir: target.dir,
        indexBranch: target.indexBranch,
        basePath: pagesSitePath(target.owner, target.repo),
        cacheDir: deps.site.cacheDir,
        ...(deps.now === undefined ? {} : { now: deps.now().getTime() }),
      });
      if (site.indexCommit !== undefined) {
        committed = true;
        log.info(
          `built the website of ${name} (snapshot version ${site.snapshotVersion}): ${site.written.length} file(s) written, ${site.removed.length} removed`,
        );
      }
    } catch (error) {
      log.warn(`building the website of ${name} failed; the next pass tries again: ${formatError(error)}`);
    }
  }
  return committed;
}

/** Where GitHub Pages serves site/ of the index branch: `/<repo>/site/`, or `/site/` for the `OWNER.github.io` repository. */
export function pagesSitePath(owner: string, repo: string): string {
  return repo.toLowerCase() === `${owner.toLowerCase()}.github.io` ? '/site/' : `/${repo}/site/`;
}
