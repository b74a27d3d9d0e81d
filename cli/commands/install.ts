/** `granary install`: resolve, download, verify and extract packages; keep granary.lock in step. */
import type { Command } from 'commander';
import { TARBALL_LIMITS } from '../../core/tarball-contract.js';
import { runAction, type CommandContext } from '../command.js';
import { DEFAULT_INSTALL_DIR, DEFAULT_JOBS, LOCKFILE_NAME } from '../../client/defaults.js';

export interface InstallFlags {
  registry?: string;
  assets?: string;
  trustKey?: string;
  trustRoot?: string;
  snapshot?: string;
  dir: string;
  lock: string;
  frozen?: boolean;
  force?: boolean;
  cache?: string;
  jobs: string;
  maxEntries?: string;
  maxUnpackedBytes?: string;
  maxRatio?: string;
  json?: boolean;
}

export function registerInstall(program: Command, ctx: CommandContext): void {
  program
    .command('install')
    .description(
      'install packages and their dependencies into DIR/<name>/ and write granary.lock; with no SPEC, install exactly the lockfile',
    )
    .argument('[spec...]', 'a package request: name or name@range')
    .option(
      '--registry <R>',
      "the registry: an https:// URL, a directory of index files, or a git clone (default: the lockfile's, else $GRANARY_REGISTRY)",
    )
    .option(
      '--assets <BASE>',
      "download assets from this URL or directory (a mirror) instead of config.json's assetBase",
    )
    .option(
      '--trust-root <FILE>',
      "pin the registry's root: a root.json it published (metadata/1.root.json) or was given out of band; tampered, rolled-back or expired indexes are refused (default $GRANARY_TRUST_ROOT)",
    )
    .option(
      '--trust-key <KEY>',
      'pin the key of a single-key registry (ed25519:…); the lockfile keeps it for later installs',
    )
    .option(
      '--snapshot <N|DATE>',
      'resolve against the index as it was: snapshot version N, or as curated on a date (a git clone only); the lockfile records it',
    )
    .option('--dir <DIR>', 'where packages go', DEFAULT_INSTALL_DIR)
    .option('--lock <FILE>', 'the lockfile', LOCKFILE_NAME)
    .option('--frozen', 'install exactly the lockfile; fail if the SPECs or the index no longer match it')
    .option('--force', 'extract again packages that are already installed')
    .option('--cache <DIR>', 'tarball cache and client state (default: $GRANARY_CACHE, else ~/.cache/granary)')
    .option('--jobs <N>', 'parallel downloads', String(DEFAULT_JOBS))
    .option('--max-entries <N>', `refuse tarballs with more entries (default ${TARBALL_LIMITS.maxEntries})`)
    .option(
      '--max-unpacked-bytes <N>',
      `refuse tarballs that unpack to more bytes (default ${TARBALL_LIMITS.maxBytes})`,
    )
    .option('--max-ratio <N>', `refuse tarballs that expand more than N times (default ${TARBALL_LIMITS.maxRatio})`)
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (specs: string[], flags: InstallFlags) =>
        (await import('./install-run.js')).runInstall(ctx, specs, flags),
      ),
    );
}
