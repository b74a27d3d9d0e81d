/** What `granary outdated` does once it runs: loaded by its action. */
import { outdated, type OutdatedPackage } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { projectOptionsOf, warnOn } from './install-run.js';
import type { OutdatedFlags } from './outdated.js';

export async function runOutdated(ctx: CommandContext, flags: OutdatedFlags): Promise<CommandResult> {
  const { options, deps } = await projectOptionsOf(ctx, flags);
  const report = await outdated({ ...options, all: flags.all === true }, deps);
  warnOn(ctx, report, flags.json);
  const any = report.packages.some((p) => p.outdated);
  // --exit-code turns "something is outdated" into exit 1, as `git diff --exit-code` does for changes.
  const ok = !(flags.exitCode && any);
  return {
    ok,
    json: { ok, outdated: any, ...report },
    text: formatOutdated(report.packages),
  };
}

/** A table of the packages that are outdated or whose locked version is marked; a sentence when there are none. */
export function formatOutdated(packages: OutdatedPackage[]): string {
  const shown = packages.filter((p) => p.outdated || p.deprecated || p.yanked || p.unpublished);
  if (shown.length === 0) return `all ${packages.length} package${packages.length === 1 ? ' is' : 's are'} up to date`;
  const rows = [
    ['package', 'range', 'current', 'wanted', 'latest', ''],
    ...shown.map((p) => [
      p.name,
      p.ranges.join(' ') || '-',
      p.current ?? '-',
      p.wanted ?? '-',
      p.latest ?? '-',
      [
        p.kind === 'transitive' ? 'needed by other packages' : '',
        p.unpublished ? 'unpublished' : '',
        p.yanked ? 'yanked' : '',
        p.deprecated ? `deprecated: ${p.deprecated}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
