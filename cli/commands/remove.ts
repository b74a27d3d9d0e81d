/** `granary remove NAME...`: drop dependencies from granary.yaml and uninstall what nothing needs any more. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addPlaceOptions, addProjectOptions, type PlaceFlags, type ProjectFlags } from './install.js';

export interface RemoveFlags extends ProjectFlags, PlaceFlags {
  json?: boolean;
}

export function registerRemove(program: Command, ctx: CommandContext): void {
  const command = program
    .command('remove')
    .description(
      'remove dependencies from granary.yaml, resolve again, and uninstall the packages nothing needs any more',
    )
    .argument('<name...>', 'dependencies in granary.yaml');
  addPlaceOptions(addProjectOptions(command))
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (names: string[], flags: RemoveFlags) =>
        (await import('./remove-run.js')).runRemove(ctx, names, flags),
      ),
    );
}
