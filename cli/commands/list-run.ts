/** What `granary list` does once it runs: loaded by its action. */
import { UsageError } from '../../core/errors.js';
import { listInstalled, type ListedPackage } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { ListFlags } from './list.js';
import { warnOn } from './install-run.js';

export async function runList(ctx: CommandContext, flags: ListFlags): Promise<CommandResult> {
  const report = await listInstalled({
    cwd: ctx.io.cwd,
    lockfile: flags.lock,
    dir: flags.dir,
    ...(flags.depth === undefined ? {} : { depth: depthOf(flags.depth) }),
  });
  warnOn(ctx, report, flags.json);
  return {
    ok: true,
    json: { ok: true, ...report, dependencies: nested(report.dependencies) },
    text: report.dependencies.length === 0 ? 'no dependencies' : formatTree(report.dependencies),
  };
}

function depthOf(value: string): number {
  if (!/^\d{1,6}$/.test(value.trim()))
    throw new UsageError(`--depth must be a whole number of at least 0, not ${JSON.stringify(value)}`, {
      hint: 'e.g. --depth 0 for the dependencies in granary.yaml only',
    });
  return Number(value);
}

/** name → { version, range, …, dependencies: { … } }, as `npm ls --json` nests. */
function nested(packages: ListedPackage[]): Record<string, unknown> {
  return Object.fromEntries(
    packages.map(({ name, dependencies, ...rest }) => [
      name,
      { ...rest, ...(dependencies ? { dependencies: nested(dependencies) } : {}) },
    ]),
  );
}

/** The tree drawn with box characters, one package a line. */
export function formatTree(packages: ListedPackage[]): string {
  const lines: string[] = [];
  const walk = (list: ListedPackage[], prefix: string, top: boolean): void => {
    list.forEach((p, i) => {
      const last = i === list.length - 1;
      const marks = [
        p.version === null ? 'not in the lockfile' : p.installed ? '' : 'not installed',
        p.yanked ? 'yanked' : '',
        p.deprecated ? `deprecated: ${p.deprecated}` : '',
      ].filter(Boolean);
      const label = `${p.name}@${p.version ?? p.range}${marks.length > 0 ? ` [${marks.join('; ')}]` : ''}${p.deduped ? ' (shown above)' : ''}`;
      lines.push(top ? label : `${prefix}${last ? '└── ' : '├── '}${label}`);
      if (p.dependencies) walk(p.dependencies, top ? '' : `${prefix}${last ? '    ' : '│   '}`, false);
    });
  };
  walk(packages, '', true);
  return lines.join('\n');
}
