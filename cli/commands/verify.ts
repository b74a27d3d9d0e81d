/** `granary verify`: check every asset of a registry, or of a lockfile, against its recorded size and SHA-256. */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { assetLocation } from '../../client/fetch/asset-path.js';
import { DEFAULT_JOBS } from '../../client/fetch/parallel.js';
import { LOCKFILE_NAME, readLockfile } from '../../client/lockfile.js';
import { progressFor } from '../../client/progress.js';
import { openRegistry } from '../../client/registry.js';
import { verifyLockfile, verifyRegistry, type VerifyReport } from '../../client/verify.js';
import { runAction, type CommandContext } from '../command.js';
import { cacheDirOf, positiveInteger } from './install.js';

interface VerifyFlags {
  registry?: string;
  assets?: string;
  lock?: string;
  trustKey?: string;
  cache?: string;
  jobs: string;
  json?: boolean;
}

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description('download every asset of a registry (or of a lockfile) and check its size and SHA-256; exit 1 on any mismatch or missing asset')
    .option('--registry <R>', 'check every published asset of this registry (default: $GRANARY_REGISTRY)')
    .option('--assets <BASE>', 'read assets from this URL or directory (a mirror) instead of the asset base')
    .option('--lock <FILE>', `check the assets a lockfile pins instead (default when no registry is given: ${LOCKFILE_NAME})`)
    .option('--trust-key <KEY>', 'pin the registry\'s public key (ed25519:…; default $GRANARY_TRUST_KEY)')
    .option('--cache <DIR>', 'client state (default: $GRANARY_CACHE, else ~/.cache/granary)')
    .option('--jobs <N>', 'parallel downloads', String(DEFAULT_JOBS))
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (flags: VerifyFlags) => {
        const cwd = ctx.io.cwd;
        const jobs = positiveInteger(flags.jobs, '--jobs');
        const progress = progressFor({ isTTY: ctx.io.isTTY, json: flags.json === true });
        const warnings: string[] = [];
        const registrySpec = flags.registry ?? (flags.lock === undefined ? ctx.io.env.GRANARY_REGISTRY : undefined);
        const lockPath = flags.lock ?? (registrySpec === undefined && existsSync(resolvePath(cwd, LOCKFILE_NAME)) ? LOCKFILE_NAME : undefined);
        const open = (trustKey: string | undefined) =>
          openRegistry(registrySpec!, {
            cwd,
            cacheDir: cacheDirOf(flags.cache, ctx),
            ...(trustKey === undefined ? {} : { trustKey }),
            ...(flags.assets === undefined ? {} : { assets: /^[a-z][a-z0-9+.-]+:/i.test(flags.assets) ? flags.assets : resolvePath(cwd, flags.assets) }),
            warn: (w) => void warnings.push(w),
          });
        let report: VerifyReport;
        let subject: string;
        if (lockPath !== undefined) {
          const path = resolvePath(cwd, lockPath);
          const lock = await readLockfile(path);
          if (!lock) throw new UsageError('the lockfile does not exist', { where: path, hint: 'pass --lock FILE, or --registry R to check a whole registry' });
          subject = path;
          if (registrySpec !== undefined) {
            const registry = await open(flags.trustKey ?? lock.publicKey ?? (ctx.io.env.GRANARY_TRUST_KEY || undefined));
            report = await verifyLockfile(lock, (_name, asset) => registry.assetUrl(asset), { jobs, progress });
          } else {
            const assets = flags.assets;
            report = await verifyLockfile(lock, (_name, asset, url) => (assets === undefined ? url : assetLocation(assets, asset, cwd)), { jobs, progress });
          }
        } else if (registrySpec !== undefined) {
          subject = registrySpec;
          report = await verifyRegistry(await open(flags.trustKey ?? (ctx.io.env.GRANARY_TRUST_KEY || undefined)), { jobs, progress });
        } else {
          throw new UsageError('nothing to verify: no --registry, no --lock, and no granary.lock here', { hint: 'pass --registry R to check a registry, or --lock FILE to check what a lockfile pins' });
        }
        if (!flags.json) for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
        const ok = report.problems.length === 0;
        return { ok, json: { ok, subject, warnings, ...report }, text: describeVerify(report, subject) };
      }),
    );
}

function describeVerify(report: VerifyReport, subject: string): string {
  const lines = [`checked ${report.checked} asset${report.checked === 1 ? '' : 's'} of ${subject}: ${report.passed} ok, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`];
  for (const p of report.problems) lines.push(`  ${p.status}  ${p.name}@${p.version}: ${p.message} (${p.location})`);
  return lines.join('\n');
}
