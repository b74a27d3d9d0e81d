/** `granary pack FILE`: build a definition's reproducible tarball and its .sha256 sidecar. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface PackFlags {
  repo?: string;
  out?: string;
}

export function registerPack(program: Command, ctx: CommandContext): void {
  program
    .command('pack')
    .description(
      'build the reproducible tarball of one version (packages/<name>/<version>.yaml) and its .sha256 sidecar',
    )
    .argument('<file>', 'the definition file, relative to the working directory or to --repo')
    .option(
      '--repo <dir>',
      'the registry repository (registry.yaml and overrides/ are read from its working tree)',
      '.',
    )
    .option('--out <dir>', 'where to write <asset>-<version>.tar.gz and .sha256', '.')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (file: string, opts: PackFlags) => (await import('./pack-run.js')).runPack(ctx, file, opts)),
    );
}
