/** `granary mirror SOURCE DEST`: copy a registry's index and assets into a directory any static web server can serve. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { DEFAULT_JOBS } from '../../client/defaults.js';

export interface MirrorFlags {
  trustKey?: string;
  trustRoot?: string;
  assets?: string;
  cache?: string;
  jobs?: string;
  json?: boolean;
}

export function registerMirror(program: Command, ctx: CommandContext): void {
  program
    .command('mirror')
    .description(
      'copy the index (DEST/index/) and every asset (DEST/assets/<tag>/<file> + .sha256) of a registry, verifying each hash; later runs copy only what is new',
    )
    .argument('<source>', 'the registry: an https:// URL, a directory of index files, or a git clone')
    .argument('<dest>', 'the mirror directory')
    .option(
      '--trust-root <FILE>',
      "pin the registry's root: a root.json it published (metadata/1.root.json) or was given out of band; tampered, rolled-back or expired indexes are refused (default: $GRANARY_TRUST_ROOT, else `trustRoot` in a config file)",
    )
    .option(
      '--trust-key <KEY|FILE>',
      'pin the key of a single-key registry (ed25519:…, or the .pub file granary keygen wrote; default: $GRANARY_TRUST_KEY, else `trustKey` in a config file)',
    )
    .option('--assets <BASE>', "read assets from this URL or directory instead of config.json's assetBase")
    .option(
      '--cache <DIR>',
      'client state (default: $GRANARY_CACHE, else `cache` in a config file, else ~/.cache/granary)',
    )
    .option(
      '--jobs <N>',
      `parallel downloads (default: $GRANARY_JOBS, else \`jobs\` in a config file, else ${DEFAULT_JOBS})`,
    )
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (source: string, dest: string, flags: MirrorFlags) =>
        (await import('./mirror-run.js')).runMirror(ctx, source, dest, flags),
      ),
    );
}
