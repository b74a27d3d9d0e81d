/** `granary validate`: the PR gate on a local clone, for authors before they open a pull request and for CI. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatProblem } from '../../core/errors.js';
import { parseRegistryConfig, REGISTRY_FILE } from '../../core/registry-config.js';
import { createPackableCheck } from '../../curator/pack/check.js';
import { gitTree } from '../../curator/git/tree.js';
import { resolveCommit } from '../../curator/git/revision.js';
import { reportOk, summarize } from '../../curator/validate/operations.js';
import { validateRepo, type RepoValidation } from '../../curator/validate/run-on-repo.js';
import type { PackableCheck, ValidationReport } from '../../curator/validate/types.js';
import { runAction, type CommandContext, type CommandResult } from '../command.js';

/** The gate's options on a clone, plus `offline` (skip fetching and dry-run packing of added versions). */
export type ValidateOptions = RepoValidation & { offline?: boolean };

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
  return { ok, text: lines.join('\n'), json: { ok, problems: report.problems, operations: report.operations, checked: report.checkedFiles } };
}

interface ValidateFlags {
  repo: string;
  base?: string;
  head?: string;
  author?: string;
  approvedBy?: string;
  trustee?: boolean;
  offline?: boolean;
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

export function registerValidate(program: Command, ctx: CommandContext, checkPackable?: PackableCheck): void {
  program
    .command('validate')
    .description('check the registry (every definition, override and registry.yaml), or with --base one change as a pull request')
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--base <rev>', 'check base..head as one pull request (what head changed since it left base)')
    .option('--head <rev>', 'the commit to check (default: HEAD)')
    .option('--author <login>', 'the GitHub login of the pull request author (needed with --base)')
    .option('--approved-by <logins>', 'comma-separated logins that approved the pull request')
    .option('--trustee', 'a trustee has approved the pull request')
    .option('--offline', 'skip fetching and dry-run packing of added versions')
    .option('--json', 'print { ok, problems, operations, checked } as JSON')
    .action(
      runAction(ctx, async (flags: ValidateFlags) => {
        const approvedBy = flags.approvedBy?.split(',').map((s) => s.trim()).filter(Boolean);
        const repo = resolve(ctx.io.cwd, flags.repo);
        const packer = flags.offline || flags.base === undefined ? undefined : (checkPackable ?? (await packableCheckAt(repo, flags.base).catch(() => undefined)));
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
      }),
    );
}
