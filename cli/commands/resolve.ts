/** `granary resolve SPEC...`: the versions an install would use, or why there are none. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

/** What `addRegistryOptions` parses; registry-run.ts opens the registry they name. */
export interface RegistryFlags {
  registry?: string;
  trustKey?: string;
  trustRoot?: string;
  cache?: string;
  snapshot?: string;
}

export type ResolveFlags = RegistryFlags & { prerelease?: boolean };

/** The flags every read command shares. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option(
      '--registry <R>',
      'the registry: an https:// URL of its index, a directory of index files, or a git clone (default: the one granary.lock here records, else $GRANARY_REGISTRY, else `registry` in a config file)',
    )
    .option(
      '--trust-root <FILE>',
      "pin the registry's root: a root.json it published (metadata/1.root.json) or was given out of band; tampered, rolled-back or expired indexes are refused (default: $GRANARY_TRUST_ROOT, else `trustRoot` in a config file)",
    )
    .option(
      '--trust-key <KEY|FILE>',
      "pin the key of a single-key registry (ed25519:…, registry.yaml's publicKey, or the .pub file granary keygen wrote); its first root must be that key's (default: granary.lock's publicKey, else $GRANARY_TRUST_KEY, else `trustKey` in a config file)",
    )
    .option(
      '--snapshot <N|DATE>',
      'read the index as it was: at snapshot version N, or as curated on a date (a git clone of the registry only)',
    )
    .option(
      '--cache <DIR>',
      'where HTTP responses and the highest snapshot seen are kept (default: $GRANARY_CACHE, else `cache` in a config file, else ~/.cache/granary)',
    );
}

export function registerResolve(program: Command, ctx: CommandContext): void {
  addRegistryOptions(
    program
      .command('resolve')
      .description('choose the highest versions that satisfy every range, or explain why none do')
      .argument('<spec...>', 'name or name@range, e.g. prelude@^6.0.0'),
  )
    .option('--prerelease', 'allow prerelease versions')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (specs: string[], opts: ResolveFlags) =>
        (await import('./resolve-run.js')).runResolve(ctx, specs, opts),
      ),
    );
}
