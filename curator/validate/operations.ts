/** Operations and reports in words: the summary line under the problems. */
import type { Operation, ValidationReport } from './types.js';

/** Each kind of operation in words, wherever an operation is shown (CLI, check runs, comments). */
export const OPERATION_WORDS: Record<Operation['kind'], string> = {
  'new-package': 'new package',
  'new-version': 'new version',
  transfer: 'transfer',
  override: 'override',
  yank: 'yank',
  deprecate: 'deprecation',
  unpublish: 'unpublish',
  'registry-settings': 'registry settings change',
  other: 'other change',
};

/** `new package foo@1.0.0`, `registry settings change`, `other change README.md`. */
export function describeOperation(op: Operation): string {
  if (op.name !== undefined && op.version !== undefined) return `${OPERATION_WORDS[op.kind]} ${op.name}@${op.version}`;
  if (op.kind === 'registry-settings') return OPERATION_WORDS[op.kind];
  return `${OPERATION_WORDS[op.kind]} ${op.file}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 errors in 1 file (checked 5 files; operations: new package foo@1.0.0)`. */
export function summarizeReport(report: ValidationReport): string {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.length - errors.length;
  const files = new Set(report.problems.map((p) => p.file)).size;
  const details = [`checked ${plural(report.checkedFiles, 'file')}`];
  if (report.operations.length > 0) {
    const shown = report.operations.slice(0, 10).map(describeOperation);
    if (report.operations.length > 10) shown.push(`and ${report.operations.length - 10} more`);
    details.push(`operations: ${shown.join(', ')}`);
  }
  const head =
    report.problems.length === 0
      ? 'no problems'
      : `${plural(errors.length, 'error')}${warnings > 0 ? ` and ${plural(warnings, 'warning')}` : ''} in ${plural(files, 'file')}`;
  return `${head} (${details.join('; ')})`;
}

/** Whether the report has no errors (warnings do not fail a check). */
export function reportOk(report: ValidationReport): boolean {
  return !report.problems.some((p) => p.severity === 'error');
}
