/** What `granary curate` does once it runs: loaded by its action, so other commands never load curator/. */
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { curate, registryAt } from '../../curator/curate/curate.js';
import { Git } from '../../curator/curate/git.js';
import { readSigningKey } from '../../curator/curate/signing-key.js';
import type { CurateReport } from '../../curator/curate/types.js';
import { parseStoreSpec } from '../../curator/stores/spec.js';
import type { ReleaseStore } from '../../curator/stores/store.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { CurateFlags } from './curate.js';

export async function runCurate(ctx: CommandContext, flags: CurateFlags): Promise<CommandResult> {
  const repoDir = resolve(ctx.io.cwd, flags.repo);
  const key = await readSigningKey(flags.signKey, ctx.io.env, ctx.io.cwd);
  const stores = await storesFor(flags, repoDir, ctx);
  const lines: string[] = [];
  const report = await curate({
    repoDir,
    stores,
    ...(flags.indexBranch !== undefined ? { indexBranch: flags.indexBranch } : {}),
    ...(key !== undefined ? { signingKeyPem: key.pem } : {}),
    dryRun: flags.dryRun === true,
    log: (line) => {
      lines.push(line);
      if (ctx.io.isTTY) ctx.io.stderr(`${line}\n`);
    },
  });
  return {
    ok: report.refused.length === 0,
    json: { ok: report.refused.length === 0, dryRun: flags.dryRun === true, ...report },
    text: describeReport(report, flags.dryRun === true),
  };
}

/** `--store` flags (relative to the working directory), else registry.yaml `stores` (relative to the repository). */
async function storesFor(flags: CurateFlags, repoDir: string, ctx: CommandContext): Promise<ReleaseStore[]> {
  if (flags.store !== undefined && flags.store.length > 0)
    return flags.store.map((spec) => parseStoreSpec(spec, { cwd: ctx.io.cwd, env: ctx.io.env }));
  const git = new Git(repoDir);
  const head = await git.resolveRef('HEAD');
  if (head === undefined)
    throw new UsageError('the registry repository has no commits yet', {
      where: repoDir,
      hint: 'commit registry.yaml on main first (granary init does)',
    });
  const reader = git.blobs();
  try {
    const registry = await registryAt(reader, head);
    if (registry.stores.length === 0 && !flags.dryRun) {
      throw new UsageError('no release store: pass --store or list `stores:` in registry.yaml', {
        where: `${repoDir}/registry.yaml`,
        hint: 'e.g. --store fs:./releases or --store github:OWNER/REPO',
      });
    }
    return registry.stores.map((spec) => parseStoreSpec(spec, { cwd: repoDir, env: ctx.io.env }));
  } finally {
    await reader.close();
  }
}

function describeReport(report: CurateReport, dryRun: boolean): string {
  const out: string[] = [];
  for (const p of report.published) out.push(`published   ${p.name}@${p.version}  sha256:${p.sha256}  ${p.asset}`);
  for (const r of report.revised) out.push(`revised     ${r.name}@${r.version}  revision ${r.revision}`);
  for (const u of report.unpublished) out.push(`unpublished ${u.name}@${u.version}`);
  for (const r of report.refused) out.push(`refused     ${r.file} (${r.commit.slice(0, 12)}): ${r.message}`);
  if (dryRun) out.push(`dry run: nothing uploaded or committed (main up to ${report.curatedCommit.slice(0, 12)})`);
  else if (report.indexCommit !== undefined)
    out.push(
      `index commit ${report.indexCommit.slice(0, 12)}: snapshot version ${report.snapshotVersion}, main up to ${report.curatedCommit.slice(0, 12)}, ${report.changedFiles ?? 0} file(s) written`,
    );
  else out.push(`nothing new: the index is up to date with main (${report.curatedCommit.slice(0, 12)})`);
  return out.join('\n');
}
