/** `granary import`: bring an existing registry's packages into a Granary registry. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface ImportFlags {
  out: string;
  owner?: string;
}

export interface BowerFlags extends ImportFlags {
  dryRun?: boolean;
  jobs?: string;
}

export function registerImport(program: Command, ctx: CommandContext): void {
  const command = program.command('import').description('convert another registry into Granary definitions');
  command
    .command('purescript')
    .description(
      'write a Granary definition for every version of a PureScript registry snapshot (its index/ and metadata/); review and commit the result',
    )
    .argument('<dir>', 'the snapshot: a folder with index/ and metadata/')
    .option('--out <repo>', 'the Granary registry to write into (made with `granary init`)', '.')
    .option(
      '--owner <login>',
      'owner for packages whose metadata names no GitHub login and whose source is not on GitHub',
    )
    .option('--json', 'print written and skipped definitions as JSON')
    .action(
      runAction(ctx, async (dir: string, flags: ImportFlags) =>
        (await import('./import-run.js')).runImportPurescript(ctx, dir, flags),
      ),
    );
  command
    .command('bower')
    .description(
      "write a Granary definition for every SemVer tag of every package in a Bower list (each version's bower.json at its tag); running it again takes up what failed",
    )
    .argument('<file>', 'the Bower list: a JSON object of package name to git URL (bower-packages.json)')
    .option('--out <repo>', 'the Granary registry to write into (made with `granary init`)', '.')
    .option('--owner <login>', 'owner for packages whose source is not on GitHub')
    .option('--dry-run', 'read every repository, write nothing: print what would be imported')
    .option('--jobs <n>', 'repositories read at once', '4')
    .option('--json', 'print the per-package report as JSON')
    .action(
      runAction(ctx, async (file: string, flags: BowerFlags) =>
        (await import('./import-run.js')).runImportBower(ctx, file, flags),
      ),
    );
}
