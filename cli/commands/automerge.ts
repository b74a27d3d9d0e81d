/** `granary automerge`: merge what the gate passed once its objection window is over. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface AutomergeFlags {
  github: string;
  dryRun?: boolean;
  ifEnabled?: boolean;
  json?: boolean;
}

export function registerAutomerge(program: Command, ctx: CommandContext): void {
  program
    .command('automerge')
    .description(
      "merge each open pull request whose granary/validate check passed on its current head, once its kind of change has waited long enough (registry.yaml automerge) and no person's comment objects",
    )
    .requiredOption(
      '--github <owner/repo>',
      'the registry repository (token: $GITHUB_TOKEN with contents and pull-requests: write)',
    )
    .option('--dry-run', 'say what would merge; merge nothing')
    .option(
      '--if-enabled',
      "do nothing unless registry.yaml says automerge: { enabled: true }, as the app's timer (automerge.yml runs with it)",
    )
    .option('--json', 'print the decisions as JSON')
    .action(
      runAction(ctx, async (flags: AutomergeFlags) => (await import('./automerge-run.js')).runAutomerge(ctx, flags)),
    );
}
