/** What `granary site publish` does once it runs: loaded by its action. */
import { resolve } from 'node:path';
import { publishSite } from '../../curator/index.js';
import { stepLog, type CommandContext, type CommandResult } from '../command.js';
import { cacheDirOf } from './registry-run.js';
import type { SitePublishFlags } from './site.js';

export async function runSitePublish(ctx: CommandContext, flags: SitePublishFlags): Promise<CommandResult> {
  const log = stepLog(ctx);
  const report = await publishSite({
    repoDir: resolve(ctx.io.cwd, flags.repo),
    ...(flags.indexBranch !== undefined ? { indexBranch: flags.indexBranch } : {}),
    basePath: flags.basePath ?? '/',
    cacheDir: cacheDirOf(flags.cache, ctx),
    force: flags.force === true,
    ...(log ? { log } : {}),
  });
  const lines: string[] = [];
  if (report.outcome === 'no-index')
    lines.push(`no index branch ${report.branch} yet: no site to build (curate first)`);
  else if (report.outcome === 'up-to-date')
    lines.push(
      `the site on ${report.branch} already shows snapshot version ${report.snapshotVersion} and its download counts (--force builds it again)`,
    );
  else
    lines.push(
      `index commit ${report.indexCommit!.slice(0, 12)}: the site of snapshot version ${report.snapshotVersion} under ${report.branch}:site/, ${report.written.length} file(s) written, ${report.removed.length} removed`,
      ...(report.site?.problems ?? []).map((p) => `no README for ${p.name}@${p.version}: ${p.message}`),
    );
  return { ok: true, text: lines.join('\n'), json: { ok: true, ...report } };
}
