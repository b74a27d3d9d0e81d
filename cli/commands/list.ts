/** `granary list`: the installed tree, from the lockfile (no network). */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { DEFAULT_INSTALL_DIR, LOCKFILE_NAME } from '../../client/defaults.js';

export interface ListFlags {
  lock: string;
  dir: string;
  depth?: string;
  json?: boolean;
}

export function registerList(program: Command, ctx: CommandContext): void {
  program
    .command('list')
    .description(
      "show the installed packages as a tree: the project's dependencies, and below each what it needs (read from the lockfile, no network)",
    )
    .option('--lock <FILE>', 'the lockfile; the project manifest is granary.yaml beside it', LOCKFILE_NAME)
    .option('--dir <DIR>', 'where packages were installed', DEFAULT_INSTALL_DIR)
    .option(
      '--depth <N>',
      'levels of dependencies to show below the dependencies in granary.yaml (0: none; default: all)',
    )
    .option('--json', 'print the tree as JSON (nested)')
    .action(runAction(ctx, async (flags: ListFlags) => (await import('./list-run.js')).runList(ctx, flags)));
}
