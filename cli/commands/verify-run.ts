/** What `granary verify` does once it runs: loaded by its action. */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { assetLocation } from '../../client/fetch/asset-path.js';
import { LOCKFILE_NAME } from '../../client/defaults.js';
import { readLockfile } from '../../client/lockfile.js';
import { progressFor } from '../../client/progress.js';
import { openRegistry } from '../../client/registry.js';
import { verifyLockfile, verifyRegistry, type VerifyReport } from '../../client/verify.js';
import type { CommandContext, CommandResult } from '../command.js';
import { positiveInteger } from '../flags.js';
import { cacheDirOf, trustRootOf } from './registry-run.js';
import type { VerifyFlags } from './verify.js';

export async function runVerify(ctx: CommandContext, flags: VerifyFlags): Promise<CommandResult> {
  const cwd = ctx.io.cwd;
  const jobs = positiveInteger(flags.jobs, '--jobs');
  const progress = progressFor({ isTTY: ctx.io.isTTY, json: flags.json === true });
  const warnings: string[] = [];
  const registrySpec = flags.registry ?? (flags.lock === undefined ? ctx.io.env.GRANARY_REGISTRY : undefined);
  const lockPath =
    flags.lock ??
    (registrySpec === undefined && existsSync(resolvePath(cwd, LOCKFILE_NAME)) ? LOCKFILE_NAME : undefined);
  const trustRoot = await trustRootOf(flags.trustRoot, ctx);
  const open = (trustKey: string | undefined) =>
    openRegistry(registrySpec!, {
      cwd,
      ...(trustRoot === undefined ? {} : { trustRoot }),
      cacheDir: cacheDirOf(flags.cache, ctx),
      ...(trustKey === undefined ? {} : { trustKey }),
      ...(flags.assets === undefined
        ? {}
        : { assets: /^[a-z][a-z0-9+.-]+:/i.test(flags.assets) ? flags.assets : resolvePath(cwd, flags.assets) }),
      warn: (w) => void warnings.push(w),
    });
  let report: VerifyReport;
  let subject: string;
  if (lockPath !== undefined) {
    const path = resolvePath(cwd, lockPath);
    const lock = await readLockfile(path);
    if (!lock)
      throw new UsageError('the lockfile does not exist', {
        where: path,
        hint: 'pass --lock FILE, or --registry R to check a whole registry',
      });
    subject = path;
    if (registrySpec !== undefined) {
      const registry = await open(flags.trustKey ?? lock.publicKey ?? (ctx.io.env.GRANARY_TRUST_KEY || undefined));
      const locate = await registry.assets();
      report = await verifyLockfile(lock, (_name, asset) => locate(asset), { jobs, progress });
    } else {
      const assets = flags.assets;
      report = await verifyLockfile(
        lock,
        (_name, asset, url) => (assets === undefined ? url : assetLocation(assets, asset, cwd)),
        { jobs, progress },
      );
    }
  } else if (registrySpec !== undefined) {
    subject = registrySpec;
    report = await verifyRegistry(await open(flags.trustKey ?? (ctx.io.env.GRANARY_TRUST_KEY || undefined)), {
      jobs,
      progress,
    });
  } else {
    throw new UsageError('nothing to verify: no --registry, no --lock, and no granary.lock here', {
      hint: 'pass --registry R to check a registry, or --lock FILE to check what a lockfile pins',
    });
  }
  if (!flags.json) for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
  const ok = report.problems.length === 0;
  return { ok, json: { ok, subject, warnings, ...report }, text: describeVerify(report, subject) };
}

function describeVerify(report: VerifyReport, subject: string): string {
  const lines = [
    `checked ${report.checked} asset${report.checked === 1 ? '' : 's'} of ${subject}: ${report.passed} ok, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`,
  ];
  for (const p of report.problems) lines.push(`  ${p.status}  ${p.name}@${p.version}: ${p.message} (${p.location})`);
  return lines.join('\n');
}
