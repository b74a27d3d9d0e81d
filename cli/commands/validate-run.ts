/** What `granary validate` does once it runs: loaded by its action (and by validate.ts `runValidate`). */
import { resolve } from 'node:path';
import { formatProblem } from '../../core/errors.js';
import {
  reportOk,
  summarizeReport,
  validateRepo,
  type PackableCheck,
  type ValidationReport,
} from '../../curator/index.js';
import { splitLogins } from '../logins.js';
import type { CommandContext, CommandResult } from '../command.js';
import { progressOf } from '../progress.js';
import type { ValidateFlags, ValidateOptions } from './validate.js';

/** What `granary validate` does, without the printing: the report of the whole registry or of base..head. */
export async function runValidateReport(options: ValidateOptions): Promise<ValidationReport> {
  return validateRepo(options);
}

/** The command's output: a line per problem, then the summary. */
export function validateResult(report: ValidationReport): CommandResult {
  const ok = reportOk(report);
  const lines = report.problems.map(formatProblem);
  for (const i of report.impact ?? [])
    lines.push(
      `impact: ${i.package} ${i.effect === 'stops-resolving' ? 'stops resolving' : 'resolves differently'}: ${i.detail}`,
    );
  lines.push(summarizeReport(report));
  return {
    ok,
    text: lines.join('\n'),
    json: {
      ok,
      problems: report.problems,
      operations: report.operations,
      checked: report.checkedFiles,
      impact: report.impact ?? [],
    },
  };
}

export async function runValidateCommand(
  ctx: CommandContext,
  flags: ValidateFlags,
  checkPackable?: PackableCheck,
): Promise<CommandResult> {
  const approvedBy = flags.approvedBy === undefined ? undefined : splitLogins(flags.approvedBy);
  const report = await validateRepo({
    repo: resolve(ctx.io.cwd, flags.repo),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    ...(flags.head !== undefined ? { head: flags.head } : {}),
    ...(flags.author !== undefined ? { author: flags.author } : {}),
    ...(approvedBy ? { approvedBy } : {}),
    trustee: flags.trustee === true,
    offline: flags.offline === true,
    packAdded: true,
    ...(checkPackable ? { checkPackable } : {}),
    progress: progressOf(ctx),
  });
  return validateResult(report);
}
