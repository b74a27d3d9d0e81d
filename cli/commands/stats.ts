/** `granary stats collect`: count the downloads of every published tarball, once a day, beside the index. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface StatsCollectFlags {
  repo: string;
  store?: string[];
  github?: string;
  indexBranch?: string;
  force?: boolean;
  json?: boolean;
}

const collect = (v: string, acc: string[] = []) => [...acc, v];

export function registerStats(program: Command, ctx: CommandContext): void {
  const stats = program
    .command('stats')
    .description("download statistics: the release stores' download counts, kept day by day on the index branch");

  stats
    .command('collect')
    .description(
      'read how often each tarball was downloaded (GitHub Releases count them; fs: stores do not) and commit the totals, each version and the last 30 days to stats/downloads.json on the index branch; at most once a UTC day',
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option(
      '--store <spec>',
      'a release store to count in, github:OWNER/REPO or fs:DIR; repeat for mirrors, whose downloads add up (default: registry.yaml `stores`)',
      collect,
    )
    .option('--github <owner/repo>', 'the same as --store github:OWNER/REPO')
    .option('--index-branch <name>', 'the index branch (default: registry.yaml `indexBranch`, else index)')
    .option('--force', 'collect even if the counts were taken earlier on this UTC day')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (flags: StatsCollectFlags) => (await import('./stats-run.js')).runStatsCollect(ctx, flags)),
    );
}
