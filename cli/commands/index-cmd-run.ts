/** What `granary index build|check` do once they run: loaded by their actions. */
import { resolve } from 'node:path';
import { buildIndexInto, checkIndexOfClone, type IndexCloneOptions } from '../../curator/index/index-clone.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { IndexBuildFlags, IndexFlags } from './index-cmd.js';

export async function runIndexBuild(ctx: CommandContext, flags: IndexBuildFlags): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, flags.out);
  const { rebuilt, differences } = await buildIndexInto({
    ...cloneOptions(ctx, flags),
    out,
    ...(flags.signKey !== undefined ? { signKey: flags.signKey } : {}),
  });
  const ok = differences.length === 0;
  const text = [
    `rebuilt ${rebuilt.files.size} file(s) into ${out}: snapshot version ${rebuilt.snapshot.version}, main up to ${rebuilt.snapshot.commit.slice(0, 12)}`,
    ...rebuilt.refused.map((r) => `refused     ${r.file} (${r.commit.slice(0, 12)}): ${r.message}`),
    ...differences.map((d) => `${d.path}: ${d.problem}`),
  ].join('\n');
  return {
    ok,
    text,
    json: {
      ok,
      out,
      files: rebuilt.files.size,
      snapshotVersion: rebuilt.snapshot.version,
      commit: rebuilt.snapshot.commit,
      refused: rebuilt.refused,
      differences,
    },
  };
}

export async function runIndexCheck(ctx: CommandContext, flags: IndexFlags): Promise<CommandResult> {
  const report = await checkIndexOfClone(cloneOptions(ctx, flags));
  const head = `${report.branch} at ${report.tip.slice(0, 12)} (snapshot version ${report.snapshotVersion}, main up to ${report.commit.slice(0, 12)}): ${report.filesChecked} file(s)`;
  const text = report.ok
    ? `ok: ${head} match the rebuild`
    : [
        `${report.differences.length} difference(s) in ${head}`,
        ...report.differences.map((d) => `${d.path}: ${d.problem}`),
      ].join('\n');
  return { ok: report.ok, text, json: report };
}

function cloneOptions(ctx: CommandContext, flags: IndexFlags): IndexCloneOptions {
  return {
    repoDir: resolve(ctx.io.cwd, flags.repo),
    ...(flags.indexBranch !== undefined ? { indexBranch: flags.indexBranch } : {}),
    ...(flags.store !== undefined ? { stores: flags.store } : {}),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
  };
}
