/** What `granary index build|check` do once they run: loaded by their actions. */
import { resolve } from 'node:path';
import {
  buildIndexInto,
  checkIndexOfClone,
  readSigningKey,
  refreshIndex,
  type IndexCloneOptions,
} from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { IndexBuildFlags, IndexFlags, IndexRefreshFlags } from './index-cmd.js';
import { UsageError } from '../../core/errors.js';

export async function runIndexBuild(ctx: CommandContext, flags: IndexBuildFlags): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, flags.out);
  const { rebuilt, differences } = await buildIndexInto({
    ...cloneOptions(ctx, flags),
    out,
    ...(flags.signKey !== undefined ? { signKey: flags.signKey } : {}),
  });
  const ok = differences.length === 0;
  const text = [
    `rebuilt ${rebuilt.files?.size ?? 0} file(s) into ${out}: the index at snapshot version ${rebuilt.info.version} signed anew as version ${rebuilt.info.version + 1}, main up to ${rebuilt.info.commit.slice(0, 12)}`,
    ...rebuilt.refused.map((r) => `refused     ${r.file} (${r.commit.slice(0, 12)}): ${r.message}`),
    ...differences.map((d) => `${d.path}: ${d.problem}`),
  ].join('\n');
  return {
    ok,
    text,
    json: {
      ok,
      out,
      files: rebuilt.files?.size ?? 0,
      snapshotVersion: rebuilt.info.version,
      commit: rebuilt.info.commit,
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

export async function runIndexRefresh(ctx: CommandContext, flags: IndexRefreshFlags): Promise<CommandResult> {
  const key = await readSigningKey(flags.signKey, ctx.io.env, ctx.io.cwd);
  if (key === undefined)
    throw new UsageError('index refresh signs the timestamp, but no signing key was given', {
      hint: 'pass --sign-key FILE or set GRANARY_SIGNING_KEY (the PEM text or a path to it)',
    });
  const report = await refreshIndex({
    repoDir: resolve(ctx.io.cwd, flags.repo),
    signingKeyPem: key.pem,
    ...(flags.indexBranch !== undefined ? { indexBranch: flags.indexBranch } : {}),
    ...(flags.force === true ? { force: true } : {}),
  });
  const text =
    report.resigned === 'nothing'
      ? `nothing to re-sign: the timestamp is valid until ${report.expires}`
      : `index commit ${report.indexCommit!.slice(0, 12)}: re-signed the ${report.resigned} (snapshot version ${report.snapshotVersion}), valid until ${report.expires}`;
  const rootSoon = Date.parse(report.rootExpires) - Date.now() < 30 * 86_400_000;
  if (rootSoon)
    ctx.io.stderr(
      `warning: the registry's root expires ${report.rootExpires}: renew it before then (granary root rotate --from trust/N.root.json --out trust/N+1.root.json, signed by the root keys)\n`,
    );
  return { ok: true, text, json: { ok: true, ...report } };
}
