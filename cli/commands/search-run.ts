/** What `granary search` does once it runs: loaded by its action. */
import { UsageError } from '../../core/errors.js';
import { searchPackages } from '../../client/search.js';
import type { CommandContext, CommandResult } from '../command.js';
import { openRegistryFromFlags } from './registry-run.js';
import type { SearchFlags } from './search.js';

export async function runSearch(ctx: CommandContext, query: string[], opts: SearchFlags): Promise<CommandResult> {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a positive whole number, not ${JSON.stringify(opts.limit)}`);
  const registry = await openRegistryFromFlags(ctx, opts);
  const hits = searchPackages(await registry.packages(), query.join(' '), limit);
  const width = Math.max(0, ...hits.map((h) => h.name.length));
  const text = hits
    .map((h) =>
      `${h.name.padEnd(width)}  ${(h.latest ?? '-').padEnd(8)}  ${h.deprecated ? '[deprecated] ' : ''}${h.description ?? ''}`.trimEnd(),
    )
    .join('\n');
  return { ok: true, text: text || 'no packages match', json: { ok: true, query: query.join(' '), results: hits } };
}
