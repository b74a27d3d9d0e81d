/** `granary search [QUERY]`: packages by name, keyword and description, ranked like the website's search. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addRegistryOptions, type RegistryFlags } from './resolve.js';

export type SearchFlags = RegistryFlags & {
  limit: string;
  scope?: string;
  keyword?: string;
  license?: string;
  sort: string;
};

export function registerSearch(program: Command, ctx: CommandContext): void {
  addRegistryOptions(
    program
      .command('search')
      .description(
        'find packages by name, keyword or description (prefix and typo-tolerant), ranked by match, popularity, freshness and quality',
      )
      .argument('[query...]', 'words to look for; none lists the packages the filters keep'),
  )
    .option('--scope <@SCOPE>', 'only packages of this scope')
    .option('--keyword <WORD>', 'only packages with this keyword')
    .option('--license <SPDX>', 'only packages with exactly this license expression')
    .option('--sort <ORDER>', 'relevance, downloads or recent', 'relevance')
    .option('--limit <N>', 'show at most N results', '20')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (query: string[], opts: SearchFlags) =>
        (await import('./search-run.js')).runSearch(ctx, query, opts),
      ),
    );
}
