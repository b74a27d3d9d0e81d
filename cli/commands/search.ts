/** `granary search QUERY`: packages by name, keyword and description, best matches first. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { searchPackages } from '../../client/search.js';
import { runAction, type CommandContext } from '../command.js';
import { addRegistryOptions, openRegistryFromFlags, type RegistryFlags } from './resolve.js';

export function registerSearch(program: Command, ctx: CommandContext): void {
  addRegistryOptions(program.command('search').description('find packages by name, keyword or description').argument('<query...>', 'words to look for'))
    .option('--limit <N>', 'show at most N results', '20')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (query: string[], opts: RegistryFlags & { limit: string }) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not ${JSON.stringify(opts.limit)}`);
        const registry = await openRegistryFromFlags(ctx, opts);
        const hits = searchPackages(await registry.packages(), query.join(' '), limit);
        const width = Math.max(0, ...hits.map((h) => h.name.length));
        const text = hits.map((h) => `${h.name.padEnd(width)}  ${(h.latest ?? '-').padEnd(8)}  ${h.deprecated ? '[deprecated] ' : ''}${h.description ?? ''}`.trimEnd()).join('\n');
        return { ok: true, text: text || 'no packages match', json: { ok: true, query: query.join(' '), results: hits } };
      }),
    );
}
