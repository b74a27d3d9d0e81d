/** What `granary validate` does once it runs: loaded by its action (and by `runValidate`). */
import { resolve } from 'node:path';
import { formatProblem } from '../../core/errors.js';
import { parseRegistryConfig, REGISTRY_FILE } from '../../core/registry-config.js';
import { createPackableCheck } from '../../curator/pack/check.js';
import { gitTree } from '../../curator/git/tree.js';
import { resolveCommit } from '../../curator/git/revision.js';
import { reportOk, summarize } from '../../curator/validate/operations.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import type { PackableCheck, ValidationReport } from '../../curator/validate/types.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { ValidateFlags, ValidateOptions } from './validate.js';

/** What `granary validate` does, without the printing: the report of the whole registry or of base..head. */
export async function runValidate(options: ValidateOptions): Promise<ValidationReport> {
  const { offline, checkPackable, ...rest } = options;
  return validateRepo({ ...rest, ...(checkPackable && !offline ? { checkPackable } : {}) });
}

/** The command's output: a line per problem, then the summary. */
export function validateResult(report: ValidationReport): CommandResult {
  const ok = reportOk(report);
  const lines = report.problems.map(formatProblem);
  lines.push(summarize(report));
  return {
    ok,
    text: lines.join('\n'),
    json: { ok, problems: report.problems, operations: report.operations, checked: report.checkedFiles },
  };
}

/**
 * The real dry-run packer for `--base` runs, with the limits and allowed sources of registry.yaml at
 * base (a pull request cannot loosen the rules it is judged by).
 */
export async function packableCheckAt(repo: string, base: string): Promise<PackableCheck | undefined> {
  const tree = await gitTree(repo, await resolveCommit(repo, base));
  try {
    const bytes = await tree.read(REGISTRY_FILE);
    // Without a readable registry.yaml at base the gate reports that itself; nothing to pack against.
    if (bytes === undefined) return undefined;
    try {
      return createPackableCheck(parseRegistryConfig(bytes.toString('utf8')), { cwd: repo });
    } catch {
      return undefined;
    }
  } finally {
    tree.close();
  }
}

export async function runValidateCommand(
  ctx: CommandContext,
  flags: ValidateFlags,
  checkPackable?: PackableCheck,
): Promise<CommandResult> {
  const approvedBy = flags.approvedBy
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const repo = resolve(ctx.io.cwd, flags.repo);
  const packer =
    flags.offline || flags.base === undefined
      ? undefined
      : (checkPackable ?? (await packableCheckAt(repo, flags.base).catch(() => undefined)));
  const report = await runValidate({
    repo,
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    ...(flags.head !== undefined ? { head: flags.head } : {}),
    ...(flags.author !== undefined ? { author: flags.author } : {}),
    ...(approvedBy ? { approvedBy } : {}),
    trustee: flags.trustee === true,
    offline: flags.offline === true,
    ...(packer ? { checkPackable: packer } : {}),
  });
  return validateResult(report);
}
