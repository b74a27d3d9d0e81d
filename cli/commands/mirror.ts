/** `granary mirror SOURCE DEST`: copy a registry's index and assets into a directory any static web server can serve. */
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_JOBS } from '../../client/fetch/parallel.js';
import { mirrorRegistry, type MirrorReport } from '../../client/mirror.js';
import { progressFor } from '../../client/progress.js';
import { openRegistry } from '../../client/registry.js';
import { runAction, type CommandContext } from '../command.js';
import { cacheDirOf, positiveInteger } from './install.js';

interface MirrorFlags {
  trustKey?: string;
  assets?: string;
  cache?: string;
  jobs: string;
  json?: boolean;
}

export function registerMirror(program: Command, ctx: CommandContext): void {
  program
    .command('mirror')
    .description('copy the index (DEST/index/) and every asset (DEST/assets/<tag>/<file> + .sha256) of a registry, verifying each hash; later runs copy only what is new')
    .argument('<source>', 'the registry: an https:// URL, a directory of index files, or a git clone')
    .argument('<dest>', 'the mirror directory')
    .option('--trust-key <KEY>', 'pin the registry\'s public key (ed25519:…; default $GRANARY_TRUST_KEY)')
    .option('--assets <BASE>', 'read assets from this URL or directory instead of config.json\'s assetBase')
    .option('--cache <DIR>', 'client state (default: $GRANARY_CACHE, else ~/.cache/granary)')
    .option('--jobs <N>', 'parallel downloads', String(DEFAULT_JOBS))
    .option('--json', 'print the report as JSON')
    .action(
      runAction(ctx, async (source: string, destArg: string, flags: MirrorFlags) => {
        const cwd = ctx.io.cwd;
        const warnings: string[] = [];
        const registry = await openRegistry(source, {
          cwd,
          cacheDir: cacheDirOf(flags.cache, ctx),
          ...((flags.trustKey ?? ctx.io.env.GRANARY_TRUST_KEY) ? { trustKey: flags.trustKey ?? ctx.io.env.GRANARY_TRUST_KEY } : {}),
          ...(flags.assets === undefined ? {} : { assets: /^[a-z][a-z0-9+.-]+:/i.test(flags.assets) ? flags.assets : resolvePath(cwd, flags.assets) }),
          warn: (w) => void warnings.push(w),
        });
        const dest = resolvePath(cwd, destArg);
        const report = await mirrorRegistry(registry, dest, {
          jobs: positiveInteger(flags.jobs, '--jobs'),
          progress: progressFor({ isTTY: ctx.io.isTTY, json: flags.json === true }),
          warn: (w) => void warnings.push(w),
        });
        if (!flags.json) for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
        return { ok: true, json: { ok: true, source, warnings, ...report }, text: describeMirror(report, source) };
      }),
    );
}

function describeMirror(report: MirrorReport, source: string): string {
  const snapshot = report.snapshotVersion === undefined ? '' : ` (snapshot ${report.snapshotVersion})`;
  return [
    `mirrored ${source}${snapshot} into ${report.dest}`,
    `  index files: ${report.index.copied} copied, ${report.index.skipped} unchanged`,
    `  assets:      ${report.assets.copied} copied, ${report.assets.skipped} already there`,
    `serve ${report.dest} over HTTP, then: granary install --registry <url>/index --assets <url>/assets`,
  ].join('\n');
}
