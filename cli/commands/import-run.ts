/** What `granary import purescript` does once it runs: loaded by its action. */
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import {
  REGISTRY_YAML,
  importBower,
  importPurescript,
  parseRegistrySettings,
  validSettings,
} from '../../curator/index.js';
import { stepLog, type CommandContext, type CommandResult } from '../command.js';
import type { BowerFlags, ImportFlags } from './import.js';

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

export async function runImportBower(ctx: CommandContext, file: string, flags: BowerFlags): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, flags.out);
  const registryBytes = await readFile(join(out, REGISTRY_YAML)).catch(() => undefined);
  if (registryBytes === undefined)
    throw new UsageError(`${out} is not a Granary registry (no ${REGISTRY_YAML})`, {
      where: out,
      hint: 'create one with `granary init DIR`, then pass --out DIR',
    });
  const jobs = Number(flags.jobs ?? '4');
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    throw new UsageError(`--jobs must be a whole number from 1 to 64, got ${JSON.stringify(flags.jobs)}`);
  const report = await importBower({
    file: resolve(ctx.io.cwd, file),
    out,
    registry: validSettings(parseRegistrySettings(registryBytes, join(out, REGISTRY_YAML))),
    dryRun: flags.dryRun === true,
    jobs,
    cwd: out,
    env: ctx.io.env,
    ...(flags.owner !== undefined ? { owner: flags.owner } : {}),
    progress: stepLog(ctx),
  });
  const count = (status: string) => report.packages.filter((p) => p.status === status).length;
  const versions = report.packages.reduce((n, p) => n + p.versions.length, 0);
  const lines = report.packages
    .filter((p) => p.status !== 'imported')
    .map((p) => `${p.status} ${p.name ?? p.bower}: ${p.reason ?? ''}`);
  const temporary = report.packages.filter((p) => p.temporary === true).length;
  lines.push(
    `${report.dryRun ? 'would import' : 'imported'} ${versions} versions of ${count('imported')} packages; ${count('present')} already present, ${count('skipped')} skipped, ${count('failed')} failed${temporary > 0 ? ` (${temporary} unreachable: run the same command again later)` : ''}`,
  );
  if (!report.dryRun)
    lines.push(
      `wrote ${report.written.length} definitions; next: review, then \`granary validate --repo OUT\` and commit`,
    );
  return { ok: true, json: { ok: true, ...report }, text: lines.join('\n') };
}
