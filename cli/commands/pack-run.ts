/** What `granary pack` does once it runs: loaded by its action. */
import { resolve } from 'node:path';
import { packFile } from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { PackFlags } from './pack.js';

export async function runPack(ctx: CommandContext, file: string, opts: PackFlags): Promise<CommandResult> {
  const { result, written, override } = await packFile({
    repo: resolve(ctx.io.cwd, opts.repo ?? '.'),
    file,
    cwd: ctx.io.cwd,
    out: resolve(ctx.io.cwd, opts.out ?? '.'),
    env: ctx.io.env,
  });
  const summary = {
    ok: true,
    name: result.name,
    version: result.version,
    file: written.tarball,
    sidecar: written.sidecar,
    commit: result.commit,
    files: result.files,
    size: result.size,
    sha256: result.sha256,
    integrity: result.integrity,
    contentHash: result.contentHash,
    override: override !== undefined,
    warnings: result.warnings,
  };
  const text = [
    `packed ${result.name}@${result.version} → ${written.tarball}${written.created ? '' : ' (identical file already there)'}`,
    `  commit       ${result.commit}`,
    `  files        ${result.files}`,
    `  size         ${result.size} bytes`,
    `  sha256       ${result.sha256}`,
    `  integrity    ${result.integrity}`,
    `  content hash ${result.contentHash}`,
    ...(override ? [`  override     ${override} applied`] : []),
    ...result.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
  return { ok: true, text, json: summary };
}
