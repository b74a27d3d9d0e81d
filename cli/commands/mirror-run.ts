/** What `granary mirror` does once it runs: loaded by its action. */
import { resolve as resolvePath } from 'node:path';
import { mirrorRegistry, type MirrorReport } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { progressOf } from '../progress.js';
import { readSources, settingOf } from '../settings.js';
import type { MirrorFlags } from './mirror.js';
import { cacheDirOf, jobsOf, openNaming, readTrustRoot, trustKeyOf } from './registry-run.js';

export async function runMirror(
  ctx: CommandContext,
  source: string,
  destArg: string,
  flags: MirrorFlags,
): Promise<CommandResult> {
  const cwd = ctx.io.cwd;
  const warnings: string[] = [];
  // SOURCE is an argument: no lockfile's registry or key applies.
  const sources = readSources(ctx.io);
  const jobs = jobsOf(flags.jobs, ctx, sources);
  const keySetting = settingOf('trustKey', flags.trustKey, sources);
  const rootSetting = settingOf('trustRoot', flags.trustRoot, sources);
  const trustRoot = await readTrustRoot(rootSetting);
  const trustKey = await trustKeyOf(keySetting);
  const registry = await openNaming({ 'trust key': keySetting, 'trusted root': rootSetting })(source, {
    cwd,
    ...(trustRoot === undefined ? {} : { trustRoot }),
    cacheDir: cacheDirOf(flags.cache, ctx, sources),
    ...(trustKey === undefined ? {} : { trustKey }),
    ...(flags.assets === undefined
      ? {}
      : { assets: /^[a-z][a-z0-9+.-]+:/i.test(flags.assets) ? flags.assets : resolvePath(cwd, flags.assets) }),
    warn: (w) => void warnings.push(w),
  });
  const dest = resolvePath(cwd, destArg);
  const report = await mirrorRegistry(registry, dest, {
    jobs,
    progress: progressOf(ctx),
    warn: (w) => void warnings.push(w),
  });
  if (!flags.json) for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
  return { ok: true, json: { ok: true, source, warnings, ...report }, text: describeMirror(report, source) };
}

function describeMirror(report: MirrorReport, source: string): string {
  const snapshot = report.snapshotVersion === undefined ? '' : ` (snapshot ${report.snapshotVersion})`;
  return [
    `mirrored ${source}${snapshot} into ${report.dest}`,
    `  index files: ${report.index.copied} copied, ${report.index.skipped} unchanged`,
    `  assets:      ${report.assets.copied} copied, ${report.assets.skipped} already there`,
    `install from it as it is (granary install --registry ${report.dest}), or serve ${report.dest} over HTTP and use --registry <url>/index`,
  ].join('\n');
}
