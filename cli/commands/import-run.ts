/** What `granary import purescript` does once it runs: loaded by its action. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { convertPurescript, readPurescriptSnapshot } from '../../curator/import/purescript.js';
import { writeDefinitions } from '../../curator/import/write-definitions.js';
import { runGit } from '../../curator/git/run-git.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { ImportFlags } from './import.js';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export async function runImportPurescript(
  ctx: CommandContext,
  dir: string,
  flags: ImportFlags,
): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, flags.out);
  if (!existsSync(resolve(out, 'registry.yaml'))) {
    throw new UsageError(`${out} is not a Granary registry (no registry.yaml)`, {
      where: out,
      hint: 'create one with `granary init DIR`, then pass --out DIR',
    });
  }
  if (flags.owner !== undefined && !LOGIN.test(flags.owner))
    throw new UsageError(`--owner must be a GitHub login, got ${JSON.stringify(flags.owner.slice(0, 80))}`);
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
}
