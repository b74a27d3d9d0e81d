/** `granary search QUERY`: packages by name, keyword and description, best matches first. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addRegistryOptions, type RegistryFlags } from './resolve.js';

export type SearchFlags = RegistryFlags & { limit: string };

export function registerSearch(program: Command, ctx: CommandContext): void {
  addRegistryOptions(
    program
      .command('search')
      .description('find packages by name, keyword or description')
      .argument('<query...>', 'words to look for'),
  )
    .option('--limit <N>', 'show at most N results', '20')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (query: string[], opts: SearchFlags) =>
        (await import('./search-run.js')).runSearch(ctx, query, opts),
      ),
    );
}
