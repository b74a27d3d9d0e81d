/** `granary doctor`: what in a registry repository's GitHub settings makes publishing unsafe. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface DoctorFlags {
  github: string;
  fix?: boolean;
  json?: boolean;
}

export function registerDoctor(program: Command, ctx: CommandContext): void {
  program
    .command('doctor')
    .description(
      "read a registry repository's settings on GitHub (merge methods, protection of the main branch, the required granary/validate check) and say what is unsafe; exits 1 when something is",
    )
    .requiredOption(
      '--github <owner/repo>',
      'the registry repository (token: $GITHUB_TOKEN or $GH_TOKEN; API: $GITHUB_API_URL)',
    )
    .option(
      '--fix',
      'make the unsafe settings safe (merge methods, protection of the main branch), keeping what is already set; needs administration: write',
    )
    .option('--json', 'print the findings as JSON')
    .action(runAction(ctx, async (flags: DoctorFlags) => (await import('./doctor-run.js')).runDoctor(ctx, flags)));
}
