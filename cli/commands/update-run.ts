/** What `granary update` does once it runs: loaded by its action. */
import { update } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { describeChanges, describeFiles, placementOptionsOf, warnOn } from './install-run.js';
import type { UpdateFlags } from './update.js';

export async function runUpdate(ctx: CommandContext, names: string[], flags: UpdateFlags): Promise<CommandResult> {
  const { options, deps } = await placementOptionsOf(ctx, flags);
  const report = await update({ ...options, names, latest: flags.latest === true }, deps);
  warnOn(ctx, report, flags.json);
  const changes = describeChanges(report);
  const text = [
    ...(changes.length > 0 ? ['updated:', ...changes.map((c) => `  ${c}`)] : ['everything is up to date']),
    ...(report.removed.length > 0 ? [`removed from ${report.dir}: ${report.removed.join(', ')}`] : []),
    ...describeFiles(report, ctx.io.cwd),
  ].join('\n');
  return { ok: true, json: { ok: true, ...report }, text };
}
