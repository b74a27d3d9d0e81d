/** What `granary import purescript` does once it runs: loaded by its action. */
import { resolve } from 'node:path';
import { importPurescript } from '../../curator/import/import-purescript.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { ImportFlags } from './import.js';

export async function runImportPurescript(
  ctx: CommandContext,
  dir: string,
  flags: ImportFlags,
): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, flags.out);
  const { written, skipped, packingDefaults } = await importPurescript({
    dir: resolve(ctx.io.cwd, dir),
    out,
    ...(flags.owner !== undefined ? { owner: flags.owner } : {}),
  });
  const lines = skipped.map((s) => `skipped ${s.name}${s.version ? `@${s.version}` : ''}: ${s.reason}`);
  lines.push(`wrote ${written.length} definitions to ${out}/packages; skipped ${skipped.length}`);
  lines.push(
    packingDefaults
      ? 'registry.yaml now packs what the PureScript registry packs (`files`); definitions add their includeFiles to it'
      : 'registry.yaml has its own `files`: check that it packs src/, the manifests, README and LICENSE, which the definitions only add to',
  );
  lines.push('next: review, then `granary validate --repo OUT` and commit');
  return { ok: true, json: { ok: true, written: written.length, skipped, packingDefaults }, text: lines.join('\n') };
}
