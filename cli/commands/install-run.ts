/** What `granary install` does once it runs: loaded by its action. Also the flag handling and report text update and remove share. */
import { formatBytes } from '../../core/format-bytes.js';
import {
  install,
  type ClientDeps,
  type InstallReport,
  type PlacementOptions,
  type ProjectOptions,
} from '../../client/index.js';
import type { TarballLimits } from '../../core/tarball-contract.js';
import type { CommandContext, CommandResult } from '../command.js';
import { positiveInteger } from '../flags.js';
import { progressOf } from '../progress.js';
import type { InstallFlags, PlaceFlags, ProjectFlags } from './install.js';
import { settingOf, type SettingSources } from '../settings.js';
import {
  cacheDirOf,
  depsNaming,
  jobsOf,
  projectSources,
  specFromCwd,
  readTrustRoot,
  trustKeyOf,
} from './registry-run.js';

export async function runInstall(ctx: CommandContext, specs: string[], flags: InstallFlags): Promise<CommandResult> {
  const { options, deps } = await placementOptionsOf(ctx, flags);
  const report = await install({ ...options, specs, frozen: flags.frozen === true }, deps);
  warnOn(ctx, report, flags.json);
  return { ok: true, json: { ok: true, ...report }, text: describeInstall(report, ctx.io.cwd) };
}

/** What a project command is given: its options, and the client's read side (whose errors name where a configured value came from). */
export interface ProjectRun<O extends ProjectOptions> {
  options: O;
  deps: ClientDeps;
}

/**
 * The project options the flags and settings give (registry, trust, lockfile, cache). The client applies
 * the lockfile's registry and key itself, so it is given apart what wins over them (the flags) and what
 * they win over (the environment and the config files).
 */
export async function projectOptionsOf(
  ctx: CommandContext,
  flags: ProjectFlags,
  sources?: SettingSources,
): Promise<ProjectRun<ProjectOptions>> {
  const { cwd } = ctx.io;
  const from = sources ?? (await projectSources(ctx, flags.lock));
  const registry = settingOf('registry', flags.registry, from);
  const key = settingOf('trustKey', flags.trustKey, from);
  const root = settingOf('trustRoot', flags.trustRoot, from);
  const trustRoot = await readTrustRoot(root);
  const trustKey = key?.kind === 'lockfile' ? undefined : await trustKeyOf(key);
  const configured = registry !== undefined && registry.kind !== 'flag' && registry.kind !== 'lockfile';
  return {
    options: {
      cwd,
      ...(flags.registry === undefined ? {} : { registry: flags.registry }),
      ...(configured ? { defaultRegistry: specFromCwd(registry, cwd) } : {}),
      ...(flags.assets === undefined ? {} : { assets: flags.assets }),
      ...(trustKey === undefined ? {} : key?.kind === 'flag' ? { trustKey } : { defaultTrustKey: trustKey }),
      ...(trustRoot === undefined ? {} : { trustRoot }),
      ...(flags.snapshot === undefined ? {} : { snapshot: flags.snapshot }),
      lockfile: flags.lock,
      cacheDir: cacheDirOf(flags.cache, ctx, from),
    },
    deps: depsNaming({ registry, 'trust key': key, 'trusted root': root }),
  };
}

/** The options of install, update and remove from their flags and settings. */
export async function placementOptionsOf(
  ctx: CommandContext,
  flags: ProjectFlags & PlaceFlags,
): Promise<ProjectRun<PlacementOptions>> {
  const sources = await projectSources(ctx, flags.lock);
  const { options, deps } = await projectOptionsOf(ctx, flags, sources);
  return {
    options: {
      ...options,
      dir: flags.dir,
      force: flags.force === true,
      jobs: jobsOf(flags.jobs, ctx, sources),
      limits: limitsOf(flags),
      progress: progressOf(ctx),
    },
    deps,
  };
}

/** Warnings go to stderr (with --json they are in the report). */
export function warnOn(ctx: CommandContext, report: { warnings: string[] }, json: boolean | undefined): void {
  if (!json) for (const w of report.warnings) ctx.io.stderr(`warning: ${w}\n`);
}

function limitsOf(flags: PlaceFlags): Partial<TarballLimits> {
  return {
    ...(flags.maxEntries === undefined ? {} : { maxEntries: positiveInteger(flags.maxEntries, '--max-entries') }),
    ...(flags.maxUnpackedBytes === undefined
      ? {}
      : { maxBytes: positiveInteger(flags.maxUnpackedBytes, '--max-unpacked-bytes') }),
    ...(flags.maxRatio === undefined ? {} : { maxRatio: positiveInteger(flags.maxRatio, '--max-ratio') }),
  };
}

function relativeTo(cwd: string): (path: string) => string {
  return (p) => (p.startsWith(`${cwd}/`) ? p.slice(cwd.length + 1) : p);
}

function describeInstall(report: InstallReport, cwd: string): string {
  const count = (status: string): number => report.packages.filter((p) => p.status === status).length;
  const rel = relativeTo(cwd);
  const lines = [
    `installed ${report.packages.length} package${report.packages.length === 1 ? '' : 's'} into ${rel(report.dir)}: ${count('downloaded')} downloaded (${formatBytes(report.downloadedBytes)}), ${count('cached')} from cache, ${count('unchanged')} unchanged, in ${(report.durationMs / 1000).toFixed(2)} s`,
  ];
  for (const p of report.packages)
    lines.push(`  ${p.name}@${p.version}${p.status === 'unchanged' ? '' : ` (${p.status})`}`);
  if (report.removed.length > 0) lines.push(`removed ${report.removed.join(', ')}`);
  lines.push(...describeFiles(report, cwd));
  return lines.join('\n');
}

/** The closing lines of install, update and remove: what granary.yaml and the lockfile became. */
export function describeFiles(report: InstallReport, cwd: string): string[] {
  const rel = relativeTo(cwd);
  const lines: string[] = [];
  if (report.manifestStatus === 'written') {
    lines.push(`${rel(report.manifest)} written:`);
    for (const c of report.requestChanges)
      lines.push(
        c.from === null
          ? `  + ${c.name} ${c.to}`
          : c.to === null
            ? `  - ${c.name} ${c.from}`
            : `  ${c.name} ${c.from} → ${c.to}`,
      );
  }
  const snapshot = report.snapshotVersion > 0 ? ` (snapshot ${report.snapshotVersion})` : '';
  lines.push(
    `lockfile ${rel(report.lockfile)} ${report.lockfileStatus === 'written' ? 'written' : report.lockfileStatus === 'unchanged' ? 'unchanged' : 'used as is'}${snapshot}`,
  );
  return lines;
}

/** The versions that changed, one per line: `strpad 1.0.0 → 1.6.0`, `+ pad 1.0.0`, `- old 1.0.0`. */
export function describeChanges(report: InstallReport): string[] {
  return report.changes.map((c) =>
    c.from === null ? `+ ${c.name} ${c.to}` : c.to === null ? `- ${c.name} ${c.from}` : `${c.name} ${c.from} → ${c.to}`,
  );
}
