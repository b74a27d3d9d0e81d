/** What `granary search` does once it runs: loaded by its action. */
import { UsageError, shown } from '../../core/errors.js';
import { SORT_ORDERS, searchPackages, type SortOrder } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { openRegistryFromFlags } from './registry-run.js';
import type { SearchFlags } from './search.js';

export async function runSearch(ctx: CommandContext, query: string[], opts: SearchFlags): Promise<CommandResult> {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a positive whole number, not ${JSON.stringify(opts.limit)}`);
  if (!(SORT_ORDERS as readonly string[]).includes(opts.sort))
    throw new UsageError(`--sort must be one of ${SORT_ORDERS.join(', ')}, not ${shown(opts.sort)}`);
  const scope = opts.scope === undefined ? undefined : `@${opts.scope.replace(/^@/, '')}`;
  const text = query.join(' ');
  if (text.trim() === '' && scope === undefined && opts.keyword === undefined && opts.license === undefined)
    throw new UsageError('search needs words to look for, or a filter', {
      hint: 'e.g. `granary search json parser`, or `granary search --keyword parser`',
    });
  const registry = await openRegistryFromFlags(ctx, opts);
  const hits = searchPackages(await registry.packages(), text, {
    limit,
    sort: opts.sort as SortOrder,
    ...(scope === undefined ? {} : { scope }),
    ...(opts.keyword === undefined ? {} : { keyword: opts.keyword }),
    ...(opts.license === undefined ? {} : { license: opts.license }),
  });
  const width = Math.max(0, ...hits.map((h) => h.name.length));
  const lines = hits.map((h) =>
    `${h.name.padEnd(width)}  ${(h.latest ?? '-').padEnd(8)}  ${h.deprecated ? '[deprecated] ' : ''}${h.description ?? ''}`.trimEnd(),
  );
  return {
    ok: true,
    text: lines.join('\n') || 'no packages match',
    json: { ok: true, query: text, results: hits },
  };
}
