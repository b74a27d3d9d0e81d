/** What `granary remove` does once it runs: loaded by its action. */
import { remove } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { describeChanges, describeFiles, placementOptionsOf, warnOn } from './install-run.js';
import type { RemoveFlags } from './remove.js';

export async function runRemove(ctx: CommandContext, names: string[], flags: RemoveFlags): Promise<CommandResult> {
  const { options, deps } = await placementOptionsOf(ctx, flags);
  const report = await remove({ ...options, names }, deps);
  warnOn(ctx, report, flags.json);
  const changes = describeChanges(report);
  const text = [
    ...(changes.length > 0 ? changes : ['no package was uninstalled']),
    ...describeFiles(report, ctx.io.cwd),
  ].join('\n');
  return { ok: true, json: { ok: true, ...report }, text };
}
