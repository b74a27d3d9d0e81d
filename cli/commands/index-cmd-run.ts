/** What `granary index build|check` do once they run: loaded by their actions. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { loadPrivateKey } from '../../core/signing.js';
import { registryAt } from '../../curator/curate/curate.js';
import { Git } from '../../curator/curate/git.js';
import { readSigningKey } from '../../curator/curate/signing-key.js';
import { checkAssets, checkIndex } from '../../curator/index/check.js';
import { SNAPSHOT_FILE } from '../../curator/index/index-files.js';
import { rebuildIndex } from '../../curator/index/rebuild.js';
import { parseStoreSpec } from '../../curator/stores/spec.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { IndexBuildFlags, IndexFlags } from './index-cmd.js';

export async function runIndexBuild(ctx: CommandContext, flags: IndexBuildFlags): Promise<CommandResult> {
  const repoDir = resolve(ctx.io.cwd, flags.repo);
  const key = await readSigningKey(flags.signKey, ctx.io.env, ctx.io.cwd);
  const rebuilt = await rebuildIndex({
    repoDir,
    indexBranch: await branchOf(flags, repoDir),
    ...(key ? { signingKey: loadPrivateKey(key.pem, key.where) } : {}),
  });
  const out = resolve(ctx.io.cwd, flags.out);
  await prepareOut(out);
  for (const [path, bytes] of rebuilt.files) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), bytes);
  }
  const differences = [...rebuilt.unreadable];
  for (const spec of flags.store ?? [])
    differences.push(...(await checkAssets(rebuilt, parseStoreSpec(spec, { cwd: ctx.io.cwd, env: ctx.io.env }))));
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
  const repoDir = resolve(ctx.io.cwd, flags.repo);
  const stores = (flags.store ?? []).map((spec) => parseStoreSpec(spec, { cwd: ctx.io.cwd, env: ctx.io.env }));
  const report = await checkIndex({ repoDir, indexBranch: await branchOf(flags, repoDir), stores });
  const head = `${report.branch} at ${report.tip.slice(0, 12)} (snapshot version ${report.snapshotVersion}, main up to ${report.commit.slice(0, 12)}): ${report.filesChecked} file(s)`;
  const text = report.ok
    ? `ok: ${head} match the rebuild`
    : [
        `${report.differences.length} difference(s) in ${head}`,
        ...report.differences.map((d) => `${d.path}: ${d.problem}`),
      ].join('\n');
  return { ok: report.ok, text, json: report };
}

async function branchOf(flags: IndexFlags, repoDir: string): Promise<string> {
  if (flags.indexBranch !== undefined) return flags.indexBranch;
  const git = new Git(repoDir);
  const head = await git.resolveRef('HEAD');
  if (head === undefined)
    throw new UsageError('the registry repository has no commits yet', {
      where: repoDir,
      hint: 'commit registry.yaml on main first (granary init does)',
    });
  const reader = git.blobs();
  try {
    return (await registryAt(reader, head)).indexBranch;
  } finally {
    await reader.close();
  }
}

/** The output directory must be new, empty, or an earlier build (it has a snapshot.json). */
async function prepareOut(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => undefined);
  if (entries !== undefined && entries.length > 0 && !entries.includes(SNAPSHOT_FILE)) {
    throw new UsageError('the output directory is not empty and holds no earlier index build', {
      where: out,
      hint: 'choose a new --out directory',
    });
  }
  await mkdir(out, { recursive: true });
}
