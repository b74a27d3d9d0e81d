/** `granary import`: bring an existing registry's packages into a Granary registry. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { convertPurescript, readPurescriptSnapshot } from '../../curator/import/purescript.js';
import { writeDefinitions } from '../../curator/import/write-definitions.js';
import { runGit } from '../../curator/git/run-git.js';
import { runAction, type CommandContext } from '../command.js';
import { existsSync } from 'node:fs';

interface ImportFlags {
  out: string;
  owner?: string;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function registerImport(program: Command, ctx: CommandContext): void {
  const command = program.command('import').description('convert another registry into Granary definitions');
  command
    .command('purescript')
    .description('write a Granary definition for every version of a PureScript registry snapshot (its index/ and metadata/); review and commit the result')
    .argument('<dir>', 'the snapshot: a folder with index/ and metadata/')
    .option('--out <repo>', 'the Granary registry to write into (made with `granary init`)', '.')
    .option('--owner <login>', 'owner for packages whose metadata names no GitHub login and whose source is not on GitHub')
    .option('--json', 'print written and skipped definitions as JSON')
    .action(
      runAction(ctx, async (dir: string, flags: ImportFlags) => {
        const out = resolve(ctx.io.cwd, flags.out);
        if (!existsSync(resolve(out, 'registry.yaml'))) {
          throw new UsageError(`${out} is not a Granary registry (no registry.yaml)`, { where: out, hint: 'create one with `granary init DIR`, then pass --out DIR' });
        }
        if (flags.owner !== undefined && !LOGIN.test(flags.owner)) throw new UsageError(`--owner must be a GitHub login, got ${JSON.stringify(flags.owner.slice(0, 80))}`);
        await runGit(out, ['rev-parse', '--git-dir']).catch((cause: unknown) => {
          throw new UsageError(`${out} is not a git repository`, { where: out, cause });
        });
        const snapshot = await readPurescriptSnapshot(resolve(ctx.io.cwd, dir));
        const conversion = convertPurescript(snapshot, flags.owner ? { fallbackOwner: flags.owner } : {});
        const result = await writeDefinitions(out, conversion.definitions);
        const skipped = [...conversion.skipped, ...result.skipped];
        const lines = skipped.map((s) => `skipped ${s.name}${s.version ? `@${s.version}` : ''}: ${s.reason}`);
        lines.push(`wrote ${result.written.length} definitions to ${out}/packages; skipped ${skipped.length}`);
        lines.push('next: review, then `granary validate --repo OUT` and commit');
        return { ok: true, json: { ok: true, written: result.written.length, skipped }, text: lines.join('\n') };
      }),
    );
}
