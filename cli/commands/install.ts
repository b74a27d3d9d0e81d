/** `granary install`: add packages to granary.yaml, or install what it asks for; keep granary.lock in step. */
import type { Command } from 'commander';
import { TARBALL_LIMITS } from '../../core/tarball-contract.js';
import { runAction, type CommandContext } from '../command.js';
import { DEFAULT_INSTALL_DIR, DEFAULT_JOBS, LOCKFILE_NAME } from '../../client/defaults.js';

/** What `addProjectOptions` parses: the project's lockfile and the registry it reads. */
export interface ProjectFlags {
  registry?: string;
  assets?: string;
  trustKey?: string;
  trustRoot?: string;
  snapshot?: string;
  lock: string;
  cache?: string;
}

/** What `addPlaceOptions` parses: where packages go and how they are fetched. */
export interface PlaceFlags {
  dir: string;
  force?: boolean;
  jobs?: string;
  maxEntries?: string;
  maxUnpackedBytes?: string;
  maxRatio?: string;
}

export interface InstallFlags extends ProjectFlags, PlaceFlags {
  frozen?: boolean;
  json?: boolean;
}

/** The registry and project flags of install, update, remove and outdated (`assets`: false where nothing is downloaded). */
export function addProjectOptions(command: Command, { assets = true } = {}): Command {
  command.option(
    '--registry <R>',
    "the registry: an https:// URL, a directory of index files, or a git clone (default: the lockfile's, else $GRANARY_REGISTRY, else `registry` in a config file)",
  );
  if (assets)
    command.option(
      '--assets <BASE>',
      "download assets from this URL or directory (a mirror) instead of config.json's assetBase",
    );
  return command
    .option(
      '--trust-root <FILE>',
      "pin the registry's root: a root.json it published (metadata/1.root.json) or was given out of band; tampered, rolled-back or expired indexes are refused (default: $GRANARY_TRUST_ROOT, else `trustRoot` in a config file)",
    )
    .option(
      '--trust-key <KEY|FILE>',
      "pin the key of a single-key registry (ed25519:…, or the .pub file granary keygen wrote); the lockfile keeps it for later installs (default: the lockfile's, else $GRANARY_TRUST_KEY, else `trustKey` in a config file)",
    )
    .option(
      '--snapshot <N|DATE>',
      'resolve against the index as it was: snapshot version N, or as curated on a date (a git clone only); the lockfile records it',
    )
    .option('--lock <FILE>', 'the lockfile; the project manifest is granary.yaml beside it', LOCKFILE_NAME)
    .option(
      '--cache <DIR>',
      'tarball cache and client state (default: $GRANARY_CACHE, else `cache` in a config file, else ~/.cache/granary)',
    );
}

/** Where packages go and the caps on what is extracted: install, update and remove. */
export function addPlaceOptions(command: Command): Command {
  return command
    .option('--dir <DIR>', 'where packages go', DEFAULT_INSTALL_DIR)
    .option(
      '--force',
      'extract again packages that are already installed, and replace or remove directories in DIR that granary did not install or that changed since',
    )
    .option(
      '--jobs <N>',
      `parallel downloads (default: $GRANARY_JOBS, else \`jobs\` in a config file, else ${DEFAULT_JOBS})`,
    )
    .option('--max-entries <N>', `refuse tarballs with more entries (default ${TARBALL_LIMITS.maxEntries})`)
    .option(
      '--max-unpacked-bytes <N>',
      `refuse tarballs that unpack to more bytes (default ${TARBALL_LIMITS.maxBytes})`,
    )
    .option('--max-ratio <N>', `refuse tarballs that expand more than N times (default ${TARBALL_LIMITS.maxRatio})`);
}

export function registerInstall(program: Command, ctx: CommandContext): void {
  const command = program
    .command('install')
    .description(
      'add packages to granary.yaml and install them with their dependencies into DIR/<name>/; with no SPEC, install what granary.yaml asks for (exactly the lockfile while it matches)',
    )
    .argument(
      '[spec...]',
      'a package request: name or name@latest (recorded as ^ the version chosen), or name@range (recorded as given)',
    );
  addPlaceOptions(addProjectOptions(command))
    .option('--frozen', 'install exactly the lockfile; fail if granary.yaml, the SPECs or the index no longer match it')
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (specs: string[], flags: InstallFlags) =>
        (await import('./install-run.js')).runInstall(ctx, specs, flags),
      ),
    );
}
