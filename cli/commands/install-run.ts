/** What `granary install` does once it runs: loaded by its action. */
import { formatBytes } from '../../core/format-bytes.js';
import { install, type InstallReport } from '../../client/install.js';
import type { TarballLimits } from '../../core/tarball-contract.js';
import { progressFor } from '../../client/progress.js';
import { openRegistry } from '../../client/registry.js';
import { parseSpec, resolve } from '../../client/resolve/resolve.js';
import type { CommandContext, CommandResult } from '../command.js';
import { positiveInteger } from '../flags.js';
import type { InstallFlags } from './install.js';
import { cacheDirOf, trustRootOf } from './registry-run.js';

export async function runInstall(ctx: CommandContext, specs: string[], flags: InstallFlags): Promise<CommandResult> {
  const trustRoot = await trustRootOf(flags.trustRoot, ctx);
  const report = await install(
    {
      cwd: ctx.io.cwd,
      specs,
      ...(flags.registry === undefined ? {} : { registry: flags.registry }),
      ...(flags.assets === undefined ? {} : { assets: flags.assets }),
      ...(flags.trustKey === undefined ? {} : { trustKey: flags.trustKey }),
      ...(trustRoot === undefined ? {} : { trustRoot }),
      ...(flags.snapshot === undefined ? {} : { snapshot: flags.snapshot }),
      dir: flags.dir,
      lockfile: flags.lock,
      frozen: flags.frozen === true,
      force: flags.force === true,
      cacheDir: cacheDirOf(flags.cache, ctx),
      jobs: positiveInteger(flags.jobs, '--jobs'),
      limits: limitsOf(flags),
      progress: progressFor({ isTTY: ctx.io.isTTY, json: flags.json === true }),
      env: ctx.io.env,
    },
    { openRegistry, resolve, parseSpec },
  );
  if (!flags.json) for (const w of report.warnings) ctx.io.stderr(`warning: ${w}\n`);
  return { ok: true, json: { ok: true, ...report }, text: describeInstall(report, ctx.io.cwd) };
}

function limitsOf(flags: InstallFlags): Partial<TarballLimits> {
  return {
    ...(flags.maxEntries === undefined ? {} : { maxEntries: positiveInteger(flags.maxEntries, '--max-entries') }),
    ...(flags.maxUnpackedBytes === undefined
      ? {}
      : { maxBytes: positiveInteger(flags.maxUnpackedBytes, '--max-unpacked-bytes') }),
    ...(flags.maxRatio === undefined ? {} : { maxRatio: positiveInteger(flags.maxRatio, '--max-ratio') }),
  };
}

function describeInstall(report: InstallReport, cwd: string): string {
  const count = (status: string): number => report.packages.filter((p) => p.status === status).length;
  const rel = (p: string): string => (p.startsWith(`${cwd}/`) ? p.slice(cwd.length + 1) : p);
  const lines = [
    `installed ${report.packages.length} package${report.packages.length === 1 ? '' : 's'} into ${rel(report.dir)}: ${count('downloaded')} downloaded (${formatBytes(report.downloadedBytes)}), ${count('cached')} from cache, ${count('unchanged')} unchanged, in ${(report.durationMs / 1000).toFixed(2)} s`,
  ];
  for (const p of report.packages)
    lines.push(`  ${p.name}@${p.version}${p.status === 'unchanged' ? '' : ` (${p.status})`}`);
  if (report.removed.length > 0) lines.push(`removed ${report.removed.join(', ')}`);
  const snapshot = report.snapshotVersion > 0 ? ` (snapshot ${report.snapshotVersion})` : '';
  lines.push(
    `lockfile ${rel(report.lockfile)} ${report.lockfileStatus === 'written' ? 'written' : report.lockfileStatus === 'unchanged' ? 'unchanged' : 'used as is'}${snapshot}`,
  );
  return lines.join('\n');
}
