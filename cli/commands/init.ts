/** `granary init`: create a new registry repository. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { LOCAL_STORE } from '../../curator/defaults.js';

export interface InitFlags {
  name?: string;
  github?: string;
  local?: boolean;
  cliSource?: string;
}

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description(
      'create a new registry repository in DIR (which must be empty or absent): registry.yaml, packages/, overrides/, workflows, README and a first commit',
    )
    .argument('<dir>', 'where to create the registry')
    .option('--name <name>', "the registry's name (default: from DIR)")
    .option('--github <owner/repo>', 'the GitHub repository the registry will live in')
    .option('--local', `accept file:// git sources and publish to ${LOCAL_STORE} (demos, tests)`)
    .option(
      '--cli-source <spec>',
      'where the generated workflows install granary from: a git source pinned to a commit, e.g. github:your-org/granary#<40-hex sha> (default: a placeholder the workflows refuse until it is set)',
    )
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (dir: string, flags: InitFlags) => (await import('./init-run.js')).runInit(ctx, dir, flags)),
    );
}
