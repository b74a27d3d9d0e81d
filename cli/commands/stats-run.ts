/** What `granary stats collect` does once it runs: loaded by its action. */
import { resolve } from 'node:path';
import { collectStatsOfClone, parseRepoRef, type CollectReport } from '../../curator/index.js';
import { stepLog, type CommandContext, type CommandResult } from '../command.js';
import type { StatsCollectFlags } from './stats.js';

export async function runStatsCollect(ctx: CommandContext, flags: StatsCollectFlags): Promise<CommandResult> {
  const github = flags.github === undefined ? undefined : parseRepoRef(flags.github, '--github');
  const stores = [...(flags.store ?? []), ...(github ? [`github:${github.owner}/${github.repo}`] : [])];
  const log = stepLog(ctx);
  const report = await collectStatsOfClone({
    repoDir: resolve(ctx.io.cwd, flags.repo),
    ...(stores.length > 0 ? { stores } : {}),
    ...(flags.indexBranch !== undefined ? { indexBranch: flags.indexBranch } : {}),
    force: flags.force === true,
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    ...(log ? { log } : {}),
  });
  return { ok: true, text: describe(report), json: { ok: true, ...report } };
}

function describe(r: CollectReport): string {
  const n = (x: number) => x.toLocaleString('en');
  const commit = r.indexCommit === undefined ? '' : `index commit ${r.indexCommit.slice(0, 12)}: `;
  switch (r.outcome) {
    case 'no-index':
      return `no index branch ${r.branch} yet: nothing to count (curate first)`;
    case 'not-due':
      return `not yet: the downloads were counted at ${r.updatedAt} (once a UTC day; --force counts again)`;
    case 'unchanged':
      return `${r.branch}:stats/downloads.json already says the stores keep no download counts`;
    case 'collected':
      if (r.source === 'none')
        return `${commit}the stores keep no download counts (only GitHub Releases count them); stats/downloads.json says so`;
      return `${commit}${n(r.today)} new downloads counted (${n(r.total)} in all, ${r.packages} packages) from ${r.counted.join(', ')}${
        r.restarted ? `; the earlier file could not be read and was started anew (${r.restarted})` : ''
      }`;
  }
}
