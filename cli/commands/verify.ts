/** `granary verify`: check every asset of a registry, or of a lockfile, against its recorded size and SHA-256. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { DEFAULT_JOBS, LOCKFILE_NAME } from '../../client/defaults.js';

export interface VerifyFlags {
  registry?: string;
  assets?: string;
  lock?: string;
  trustKey?: string;
  cache?: string;
  jobs: string;
  json?: boolean;
}

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description(
      'download every asset of a registry (or of a lockfile) and check its size and SHA-256; exit 1 on any mismatch or missing asset',
    )
    .option('--registry <R>', 'check every published asset of this registry (default: $GRANARY_REGISTRY)')
    .option('--assets <BASE>', 'read assets from this URL or directory (a mirror) instead of the asset base')
    .option(
      '--lock <FILE>',
      `check the assets a lockfile pins instead (default when no registry is given: ${LOCKFILE_NAME})`,
    )
    .option('--trust-key <KEY>', "pin the registry's public key (ed25519:…; default $GRANARY_TRUST_KEY)")
    .option('--cache <DIR>', 'client state (default: $GRANARY_CACHE, else ~/.cache/granary)')
    .option('--jobs <N>', 'parallel downloads', String(DEFAULT_JOBS))
    .option('--json', 'print the report as JSON')
    .action(runAction(ctx, async (flags: VerifyFlags) => (await import('./verify-run.js')).runVerify(ctx, flags)));
}
