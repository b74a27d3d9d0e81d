/** `granary submit`: open the registry pull request for a tagged release of a package. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface SubmitFlags {
  registry?: string;
  registryDir?: string;
  tag?: string;
  dir: string;
  name?: string;
  description?: string;
  license?: string;
  dependency: string[];
  owner: string[];
  dryRun?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSubmit(program: Command, ctx: CommandContext): void {
  program
    .command('submit')
    .description('write the definition of a tagged release and open the registry pull request that adds it')
    .option('--registry <owner/repo>', 'the registry repository on GitHub (default: $GRANARY_SUBMIT_REGISTRY)')
    .option(
      '--registry-dir <dir>',
      'a local clone of the registry, used instead of GitHub: read at HEAD, the definition committed on a new branch',
    )
    .option('--tag <tag>', 'the release tag (default: the tag at HEAD); the version is read from it')
    .option('--dir <dir>', "the package's git repository", '.')
    .option('--name <name>', 'package name (default: from granary.yaml or package.json)')
    .option('--description <text>', 'one-paragraph description (default: from the manifest)')
    .option('--license <spdx>', 'SPDX license expression (default: from the manifest)')
    .option(
      '--dependency <name@range>',
      "a dependency; repeat for more (replaces the manifest's dependencies)",
      collect,
      [] as string[],
    )
    .option(
      '--owner <login>',
      "a GitHub login allowed to publish new versions; repeat for more (default: the manifest's, else the previous version's, else the token's login)",
      collect,
      [] as string[],
    )
    .option('--dry-run', 'print the definition and the pull request without writing anything')
    .option('--json', 'print { ok, path, definition, content, pullRequest, carriedOver, warnings } as JSON')
    .action(runAction(ctx, async (flags: SubmitFlags) => (await import('./submit-run.js')).runSubmit(ctx, flags)));
}
