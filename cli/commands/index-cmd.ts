/** `granary index build|check`: rebuild the index from main plus the recorded hashes, and compare it with the index branch. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface IndexFlags {
  repo: string;
  indexBranch?: string;
  store?: string[];
}

export type IndexBuildFlags = IndexFlags & { out: string; signKey?: string };

export interface IndexRefreshFlags {
  repo: string;
  indexBranch?: string;
  signKey?: string;
  force?: boolean;
}

const collect = (v: string, acc: string[] = []) => [...acc, v];

export function registerIndex(program: Command, ctx: CommandContext): void {
  const index = program
    .command('index')
    .description('rebuild the static index from main and check the index branch against it');

  index
    .command('build')
    .description(
      'rebuild every index file from main plus the hashes recorded on the index branch (no fetching, no packing) into a directory',
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--out <dir>', 'where to write the rebuilt index', 'granary-index')
    .option(
      '--index-branch <name>',
      'the index branch holding the recorded hashes (default: registry.yaml `indexBranch`, else index)',
    )
    .option(
      '--store <spec>',
      "also cross-check every recorded hash against this store's .sha256 sidecars (repeatable)",
      collect,
    )
    .option(
      '--sign-key <file>',
      'the online key that signs the rebuilt index, as the next generation of the branch (default: $GRANARY_SIGNING_KEY)',
    )
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (flags: IndexBuildFlags) => (await import('./index-cmd-run.js')).runIndexBuild(ctx, flags)),
    );

  index
    .command('check')
    .description(
      "verify the index branch's metadata with the registry's roots and compare every target file byte for byte with a rebuild; exit 1 on any difference",
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--index-branch <name>', 'the index branch to check (default: registry.yaml `indexBranch`, else index)')
    .option(
      '--store <spec>',
      "also check every published version's .sha256 sidecar in this store (repeatable)",
      collect,
    )
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (flags: IndexFlags) => (await import('./index-cmd-run.js')).runIndexCheck(ctx, flags)),
    );

  index
    .command('refresh')
    .description(
      're-sign what is about to expire: the timestamp (half its day gone), metadata within 30 days of expiry; publish new roots',
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--index-branch <name>', 'the index branch (default: registry.yaml `indexBranch`, else index)')
    .option('--sign-key <file>', 'the online key (default: $GRANARY_SIGNING_KEY, PEM text or a path)')
    .option('--force', 're-sign the timestamp even if it has more than half its life left')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (flags: IndexRefreshFlags) =>
        (await import('./index-cmd-run.js')).runIndexRefresh(ctx, flags),
      ),
    );
}
