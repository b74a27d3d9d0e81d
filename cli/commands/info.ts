/** `granary info NAME`: versions, latest, owners, dependencies, markers and revisions of one package. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addRegistryOptions, type RegistryFlags } from './resolve.js';

export function registerInfo(program: Command, ctx: CommandContext): void {
  addRegistryOptions(
    program
      .command('info')
      .description('show the versions, owners and dependencies of a package')
      .argument('<name>', 'the package name'),
  )
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (name: string, opts: RegistryFlags) =>
        (await import('./info-run.js')).runInfo(ctx, name, opts),
      ),
    );
}
