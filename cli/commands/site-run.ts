/** What `granary site build` and `granary site serve` do once they run: loaded by their actions. */
import { lstat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError, shown } from '../../core/errors.js';
import { buildSite, normalizeBasePath, serveDirectory } from '../../client/index.js';
import { stepLog, type CommandContext, type CommandResult } from '../command.js';
import { cacheDirOf, openRegistryFromFlags } from './registry-run.js';
import type { SiteBuildFlags, SiteServeFlags } from './site.js';

export async function runSiteBuild(ctx: CommandContext, flags: SiteBuildFlags): Promise<CommandResult> {
  const basePath = normalizeBasePath(flags.basePath ?? '/');
  const registry = await openRegistryFromFlags(ctx, flags);
  const outDir = resolve(ctx.io.cwd, flags.out);
  const log = stepLog(ctx);
  const report = await buildSite(registry, {
    outDir,
    basePath,
    cacheDir: cacheDirOf(flags.cache, ctx),
    cwd: ctx.io.cwd,
    ...(log ? { log } : {}),
  });
  const where = relative(ctx.io.cwd, outDir) || '.';
  const lines = [
    `built ${report.pages} pages (${report.files} files) for ${report.packages} packages in ${where}: ${report.written} written, ${report.unchanged} unchanged, ${report.removed} removed`,
    ...report.problems.map((p) => `no README for ${p.name}@${p.version}: ${p.message}`),
  ];
  return { ok: true, text: lines.join('\n'), json: { ok: true, ...report } };
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function runSiteServe(
  ctx: CommandContext,
  dir: string,
  flags: SiteServeFlags,
  stopped: () => Promise<void> = interrupted,
): Promise<CommandResult> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${shown(flags.port)}`);
  const basePath = normalizeBasePath(flags.basePath ?? '/');
  const root = resolve(ctx.io.cwd, dir);
  if (!(await lstat(join(root, 'index.html')).catch(() => undefined))?.isFile())
    throw new UsageError('there is no site here (no index.html)', {
      where: root,
      hint: 'build one first: granary site build --registry R --out DIR',
    });
  let server;
  try {
    server = await serveDirectory(root, { port, indexFile: 'index.html', basePath });
  } catch (cause) {
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(cause as Error).message}`, {
      cause,
      hint: 'choose another --port (0 picks a free one)',
    });
  }
  const url = `${server.url}${basePath}`;
  ctx.io.stderr(`serving ${relative(ctx.io.cwd, root) || '.'} at ${url} (Ctrl-C stops)\n`);
  await stopped();
  await server.close();
  const requests = [...server.served.values()].reduce((a, b) => a + b, 0);
  return {
    ok: true,
    text: `stopped serving ${url} after ${requests} requests`,
    json: { ok: true, url, requests, byStatus: Object.fromEntries(server.served) },
  };
}
