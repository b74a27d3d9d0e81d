/** What `granary verify` does once it runs: loaded by its action. */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { UsageError } from '../../core/errors.js';
import {
  LOCKFILE_NAME,
  assetLocation,
  readLockfile,
  verifyLockfile,
  verifyRegistry,
  type Registry,
  type VerifyReport,
} from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { progressOf } from '../progress.js';
import { readSources, settingOf, type ProjectLockfile, type Setting } from '../settings.js';
import { cacheDirOf, jobsOf, openNaming, readTrustRoot, trustKeyOf } from './registry-run.js';
import type { VerifyFlags } from './verify.js';

export async function runVerify(ctx: CommandContext, flags: VerifyFlags): Promise<CommandResult> {
  const cwd = ctx.io.cwd;
  const progress = progressOf(ctx);
  const warnings: string[] = [];
  // A project's lockfile, named or found here, is what is checked unless --registry asks for a whole registry.
  const lockPath =
    flags.lock ??
    (flags.registry === undefined && existsSync(resolvePath(cwd, LOCKFILE_NAME)) ? LOCKFILE_NAME : undefined);
  const lockfile = lockPath === undefined ? undefined : await lockfileToVerify(resolvePath(cwd, lockPath));
  const sources = readSources(ctx.io, lockfile);
  const jobs = jobsOf(flags.jobs, ctx, sources);
  // With a lockfile, a registry is read only when --registry names one; otherwise the lockfile's URLs are.
  const registry =
    lockfile === undefined || flags.registry !== undefined ? settingOf('registry', flags.registry, sources) : undefined;
  const open = async (registry: Setting): Promise<Registry> => {
    const keySetting = settingOf('trustKey', flags.trustKey, sources);
    const rootSetting = settingOf('trustRoot', flags.trustRoot, sources);
    const trustRoot = await readTrustRoot(rootSetting);
    const trustKey = await trustKeyOf(keySetting);
    return openNaming({ registry, 'trust key': keySetting, 'trusted root': rootSetting })(registry.value, {
      cwd: registry.base,
      ...(trustRoot === undefined ? {} : { trustRoot }),
      cacheDir: cacheDirOf(flags.cache, ctx, sources),
      ...(trustKey === undefined ? {} : { trustKey }),
      ...(flags.assets === undefined
        ? {}
        : { assets: /^[a-z][a-z0-9+.-]+:/i.test(flags.assets) ? flags.assets : resolvePath(cwd, flags.assets) }),
      warn: (w) => void warnings.push(w),
    });
  };
  let report: VerifyReport;
  let subject: string;
  if (lockfile !== undefined) {
    subject = lockfile.path;
    if (registry !== undefined) {
      const locate = await (await open(registry)).assets();
      report = await verifyLockfile(lockfile.lock, (_name, asset) => locate(asset), { jobs, progress });
    } else {
      const assets = flags.assets;
      report = await verifyLockfile(
        lockfile.lock,
        (_name, asset, url) => (assets === undefined ? url : assetLocation(assets, asset, cwd)),
        { jobs, progress },
      );
    }
  } else if (registry !== undefined) {
    subject = registry.value;
    report = await verifyRegistry(await open(registry), { jobs, progress });
  } else {
    throw new UsageError('nothing to verify: no --registry, no --lock, and no granary.lock here', {
      hint: 'pass --registry R to check a registry (or set GRANARY_REGISTRY, or `registry:` in a config file), or --lock FILE to check what a lockfile pins',
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

async function lockfileToVerify(path: string): Promise<ProjectLockfile> {
  const lock = await readLockfile(path);
  if (!lock)
    throw new UsageError('the lockfile does not exist', {
      where: path,
      hint: 'pass --lock FILE, or --registry R to check a whole registry',
    });
  return { path, lock };
}
