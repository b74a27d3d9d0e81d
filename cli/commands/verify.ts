/** `granary verify`: check every asset of a registry, or of a lockfile, against its recorded size and SHA-256. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { DEFAULT_JOBS, LOCKFILE_NAME } from '../../client/defaults.js';

export interface VerifyFlags {
  registry?: string;
  assets?: string;
  lock?: string;
  trustKey?: string;
  trustRoot?: string;
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
    .option(
      '--trust-root <FILE>',
      "pin the registry's root: a root.json it published (metadata/1.root.json) or was given out of band; tampered, rolled-back or expired indexes are refused (default $GRANARY_TRUST_ROOT)",
    )
    .option('--trust-key <KEY>', 'pin the key of a single-key registry (ed25519:…; default $GRANARY_TRUST_KEY)')
    .option('--cache <DIR>', 'client state (default: $GRANARY_CACHE, else ~/.cache/granary)')
    .option('--jobs <N>', 'parallel downloads', String(DEFAULT_JOBS))
    .option('--json', 'print the report as JSON')
    .action(runAction(ctx, async (flags: VerifyFlags) => (await import('./verify-run.js')).runVerify(ctx, flags)));
}
