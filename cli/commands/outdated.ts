/** `granary outdated`: locked versions against the newest each range admits and the newest published. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addProjectOptions, type ProjectFlags } from './install.js';

export interface OutdatedFlags extends ProjectFlags {
  all?: boolean;
  exitCode?: boolean;
  json?: boolean;
}

export function registerOutdated(program: Command, ctx: CommandContext): void {
  const command = program
    .command('outdated')
    .description(
      'show, for each dependency in granary.yaml, the locked version, the newest its range admits (wanted) and the newest published (latest), and whether the locked one is deprecated or yanked',
    );
  addProjectOptions(command, { assets: false })
    .option('--all', 'every locked package, not only the dependencies in granary.yaml')
    .option('--exit-code', 'exit 1 when a package is outdated')
    .option('--json', 'print every package checked as JSON')
    .action(
      runAction(ctx, async (flags: OutdatedFlags) => (await import('./outdated-run.js')).runOutdated(ctx, flags)),
    );
}
