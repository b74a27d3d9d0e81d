/** `granary update [NAME...]`: newer versions within granary.yaml's ranges (or, with --latest, across them). */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addPlaceOptions, addProjectOptions, type PlaceFlags, type ProjectFlags } from './install.js';

export interface UpdateFlags extends ProjectFlags, PlaceFlags {
  latest?: boolean;
  json?: boolean;
}

export function registerUpdate(program: Command, ctx: CommandContext): void {
  const command = program
    .command('update')
    .description(
      "resolve again within granary.yaml's ranges, taking the newest versions of the packages named (of all with none), and install them",
    )
    .argument('[name...]', 'packages to update: dependencies in granary.yaml or packages they need');
  addPlaceOptions(addProjectOptions(command))
    .option(
      '--latest',
      "first move granary.yaml's ranges to ^ the newest published version (not yanked, not a prerelease), across majors",
    )
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (names: string[], flags: UpdateFlags) =>
        (await import('./update-run.js')).runUpdate(ctx, names, flags),
      ),
    );
}
