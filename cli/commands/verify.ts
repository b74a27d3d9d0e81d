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
  jobs?: string;
  json?: boolean;
}

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description(
      'download every asset of a registry (or of a lockfile) and check its size and SHA-256; exit 1 on any mismatch or missing asset',
    )
    .option(
      '--registry <R>',
      'check every published asset of this registry (default when there is no lockfile: $GRANARY_REGISTRY, else `registry` in a config file)',
    )
    .option('--assets <BASE>', 'read assets from this URL or directory (a mirror) instead of the asset base')
    .option(
      '--lock <FILE>',
      `check the assets a lockfile pins instead (default when --registry is not given: ${LOCKFILE_NAME}, if there is one)`,
    )
    .option(
      '--trust-root <FILE>',
      "pin the registry's root: a root.json it published (metadata/1.root.json) or was given out of band; tampered, rolled-back or expired indexes are refused (default: $GRANARY_TRUST_ROOT, else `trustRoot` in a config file)",
    )
    .option(
      '--trust-key <KEY|FILE>',
      "pin the key of a single-key registry (ed25519:…, or the .pub file granary keygen wrote; default: the lockfile's, else $GRANARY_TRUST_KEY, else `trustKey` in a config file)",
    )
    .option(
      '--cache <DIR>',
      'client state (default: $GRANARY_CACHE, else `cache` in a config file, else ~/.cache/granary)',
    )
    .option(
      '--jobs <N>',
      `parallel downloads (default: $GRANARY_JOBS, else \`jobs\` in a config file, else ${DEFAULT_JOBS})`,
    )
    .option('--json', 'print the report as JSON')
    .action(runAction(ctx, async (flags: VerifyFlags) => (await import('./verify-run.js')).runVerify(ctx, flags)));
}
