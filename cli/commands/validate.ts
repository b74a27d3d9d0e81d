/** `granary validate`: the PR gate on a local clone, for authors before they open a pull request and for CI. */
import type { Command } from 'commander';
import type { PackableCheck, RepoValidation, ValidationReport } from '../../curator/index.js';
import { runAction, type CommandContext } from '../command.js';

/** The gate's options on a clone (`offline` skips fetching and dry-run packing of added versions). */
export type ValidateOptions = RepoValidation;

/** What `granary validate` does, without the printing: the report of the whole registry or of base..head (loads the gate on first use). */
export async function runValidate(options: ValidateOptions): Promise<ValidationReport> {
  return (await import('./validate-run.js')).runValidateReport(options);
}

export interface ValidateFlags {
  repo: string;
  base?: string;
  head?: string;
  author?: string;
  approvedBy?: string;
  trustee?: boolean;
  offline?: boolean;
}

export function registerValidate(program: Command, ctx: CommandContext, checkPackable?: PackableCheck): void {
  program
    .command('validate')
    .description(
      'check the registry (every definition, override and registry.yaml), or with --base one change as a pull request',
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--base <rev>', 'check base..head as one pull request (what head changed since it left base)')
    .option('--head <rev>', 'the commit to check (default: HEAD)')
    .option('--author <login>', 'the GitHub login of the pull request author (needed with --base)')
    .option('--approved-by <logins>', 'comma-separated logins that approved the pull request')
    .option('--trustee', 'a trustee has approved the pull request')
    .option('--offline', 'skip fetching and dry-run packing of added versions')
    .option('--json', 'print { ok, problems, operations, checked } as JSON')
    .action(
      runAction(ctx, async (flags: ValidateFlags) =>
        (await import('./validate-run.js')).runValidateCommand(ctx, flags, checkPackable),
      ),
    );
}
