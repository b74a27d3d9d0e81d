/** `granary watch`: new SemVer tags of registered packages become pull requests. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface WatchFlags {
  repo: string;
  mainBranch: string;
  github?: string;
  json?: boolean;
}

export function registerWatch(program: Command, ctx: CommandContext): void {
  program
    .command('watch')
    .description(
      "look at every registered package's source repository and, for each SemVer tag newer than its latest version, open a pull request with the previous definition carried over; report repositories that moved or disappeared",
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--main-branch <name>', 'the branch whose packages are watched', 'main')
    .option(
      '--github <owner/repo>',
      'open the pull requests in this registry repository (token: $GITHUB_TOKEN with contents and pull-requests: write); without it, only report',
    )
    .option('--json', 'print the report as JSON')
    .action(runAction(ctx, async (flags: WatchFlags) => (await import('./watch-run.js')).runWatch(ctx, flags)));
}
