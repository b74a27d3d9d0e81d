/** `granary install`: resolve, download, verify and extract packages; keep granary.lock in step. */
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { DEFAULT_INSTALL_DIR, install, type InstallReport } from '../../client/install.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from '../../client/extract/limits.js';
import { DEFAULT_JOBS } from '../../client/fetch/parallel.js';
import { LOCKFILE_NAME } from '../../client/lockfile.js';
import { progressFor } from '../../client/progress.js';
import { defaultCacheDir, openRegistry } from '../../client/registry.js';
import { parseSpec, resolve } from '../../client/resolve/resolve.js';
import { runAction, type CommandContext } from '../command.js';

interface InstallFlags {
  registry?: string;
  assets?: string;
  trustKey?: string;
  dir: string;
  lock: string;
  frozen?: boolean;
  force?: boolean;
  cache?: string;
  jobs: string;
  maxEntries?: string;
  maxUnpackedBytes?: string;
  maxRatio?: string;
  json?: boolean;
}

export function registerInstall(program: Command, ctx: CommandContext): void {
  program
    .command('install')
    .description('install packages and their dependencies into DIR/<name>/ and write granary.lock; with no SPEC, install exactly the lockfile')
    .argument('[spec...]', 'a package request: name or name@range')
    .option('--registry <R>', 'the registry: an https:// URL, a directory of index files, or a git clone (default: the lockfile\'s, else $GRANARY_REGISTRY)')
    .option('--assets <BASE>', 'download assets from this URL or directory (a mirror) instead of config.json\'s assetBase')
    .option('--trust-key <KEY>', 'pin the registry\'s public key (ed25519:…); the lockfile keeps it for later installs')
    .option('--dir <DIR>', 'where packages go', DEFAULT_INSTALL_DIR)
    .option('--lock <FILE>', 'the lockfile', LOCKFILE_NAME)
    .option('--frozen', 'install exactly the lockfile; fail if the SPECs or the index no longer match it')
    .option('--force', 'extract again packages that are already installed')
    .option('--cache <DIR>', 'tarball cache and client state (default: $GRANARY_CACHE, else ~/.cache/granary)')
    .option('--jobs <N>', 'parallel downloads', String(DEFAULT_JOBS))
    .option('--max-entries <N>', `refuse tarballs with more entries (default ${DEFAULT_EXTRACT_LIMITS.maxEntries})`)
    .option('--max-unpacked-bytes <N>', `refuse tarballs that unpack to more bytes (default ${DEFAULT_EXTRACT_LIMITS.maxBytes})`)
    .option('--max-ratio <N>', `refuse tarballs that expand more than N times (default ${DEFAULT_EXTRACT_LIMITS.maxRatio})`)
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (specs: string[], flags: InstallFlags) => {
        const report = await install(
          {
            cwd: ctx.io.cwd,
            specs,
            ...(flags.registry === undefined ? {} : { registry: flags.registry }),
            ...(flags.assets === undefined ? {} : { assets: flags.assets }),
            ...(flags.trustKey === undefined ? {} : { trustKey: flags.trustKey }),
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
      }),
    );
}

/** `--cache`, else $GRANARY_CACHE, else ~/.cache/granary. */
export function cacheDirOf(flag: string | undefined, ctx: CommandContext): string {
  return flag !== undefined ? resolvePath(ctx.io.cwd, flag) : defaultCacheDir(ctx.io.env);
}

/** A flag that must be a whole number ≥ 1. */
export function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, not ${JSON.stringify(value)}`, { hint: `e.g. ${flag} 8` });
  return n;
}

function limitsOf(flags: InstallFlags): Partial<ExtractLimits> {
  return {
    ...(flags.maxEntries === undefined ? {} : { maxEntries: positiveInteger(flags.maxEntries, '--max-entries') }),
    ...(flags.maxUnpackedBytes === undefined ? {} : { maxBytes: positiveInteger(flags.maxUnpackedBytes, '--max-unpacked-bytes') }),
    ...(flags.maxRatio === undefined ? {} : { maxRatio: positiveInteger(flags.maxRatio, '--max-ratio') }),
  };
}

/** 1536 → "1.5 kB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function describeInstall(report: InstallReport, cwd: string): string {
  const count = (status: string): number => report.packages.filter((p) => p.status === status).length;
  const rel = (p: string): string => (p.startsWith(`${cwd}/`) ? p.slice(cwd.length + 1) : p);
  const lines = [
    `installed ${report.packages.length} package${report.packages.length === 1 ? '' : 's'} into ${rel(report.dir)}: ${count('downloaded')} downloaded (${formatBytes(report.downloadedBytes)}), ${count('cached')} from cache, ${count('unchanged')} unchanged, in ${(report.durationMs / 1000).toFixed(2)} s`,
  ];
  for (const p of report.packages) lines.push(`  ${p.name}@${p.version}${p.status === 'unchanged' ? '' : ` (${p.status})`}`);
  if (report.removed.length > 0) lines.push(`removed ${report.removed.join(', ')}`);
  const snapshot = report.snapshotVersion > 0 ? ` (snapshot ${report.snapshotVersion})` : '';
  lines.push(`lockfile ${rel(report.lockfile)} ${report.lockfileStatus === 'written' ? 'written' : report.lockfileStatus === 'unchanged' ? 'unchanged' : 'used as is'}${snapshot}`);
  return lines.join('\n');
}
