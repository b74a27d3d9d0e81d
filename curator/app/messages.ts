/** What the app writes on GitHub: check run titles and summaries, and PR comments. Pure text, no I/O. */
import { formatError, formatProblem, type Problem } from '../../core/errors.js';
import type { CurateReport, PublishedVersion } from '../curate/types.js';
import { describeOperation, OPERATION_WORDS } from '../validate/operations.js';
import type { Operation, ValidationReport } from '../validate/types.js';

/** The PR gate's check: the one branch protection requires (doctor.ts names it). */
export { REQUIRED_CHECK as VALIDATE_CHECK } from '../github/doctor.js';
export const CURATE_CHECK = 'granary/curate';

/** Problems listed in a summary; the rest are in the annotations. */
const SUMMARY_PROBLEMS = 30;

/** `**new version** \`foo@1.2.0\` (\`packages/foo/1.2.0.yaml\`)`: an operation in Markdown. */
export function operationMarkdown(op: Operation): string {
  const what = op.name ? `\`${op.name}${op.version ? `@${op.version}` : ''}\`` : `\`${op.file}\``;
  return `**${OPERATION_WORDS[op.kind]}** ${what}${op.name ? ` (\`${op.file}\`)` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface ValidateSummary {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
}

/** The check run's verdict: a failure when any problem is an error; warnings alone still pass. */
export function validateSummary(
  report: ValidationReport,
  context: { baseSha: string; headSha: string; approvers: string[]; trusteeApproved: boolean },
): ValidateSummary {
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.length - errors.length;
  const files = new Set(errors.map((p) => p.file)).size;
  const conclusion = errors.length > 0 ? 'failure' : 'success';
  const title =
    conclusion === 'failure'
      ? `${plural(errors.length, 'problem')} in ${plural(files, 'file')}`
      : report.operations.length === 0
        ? 'No registry changes'
        : `Ready: ${report.operations.map(describeOperation).join(', ')}`.slice(0, 250);
  const lines: string[] = [];
  if (report.operations.length === 0) lines.push('This pull request changes no package definitions or overrides.');
  else {
    lines.push('This pull request:', '');
    for (const op of report.operations) lines.push(`- ${operationMarkdown(op)}`);
  }
  if (report.impact !== undefined && report.impact.length > 0) {
    lines.push('', '### What it changes for other packages', '');
    for (const i of report.impact.slice(0, SUMMARY_PROBLEMS))
      lines.push(
        `- \`${i.package}\` ${i.effect === 'stops-resolving' ? '**stops resolving**' : 'resolves differently'}: ${i.detail}`,
      );
    if (report.impact.length > SUMMARY_PROBLEMS) lines.push(`- … and ${report.impact.length - SUMMARY_PROBLEMS} more`);
  }
  lines.push('');
  if (errors.length > 0) {
    lines.push(
      `### ${plural(errors.length, 'problem')}${warnings > 0 ? ` and ${plural(warnings, 'warning')}` : ''}`,
      '',
    );
    for (const p of report.problems.slice(0, SUMMARY_PROBLEMS)) lines.push(`- ${problemLine(p)}`);
    if (report.problems.length > SUMMARY_PROBLEMS)
      lines.push(`- … and ${report.problems.length - SUMMARY_PROBLEMS} more, shown on the files`);
    lines.push('', 'Push a fix to this branch and the check runs again.');
  } else if (warnings > 0) {
    lines.push(`### ${plural(warnings, 'warning')}`, '');
    for (const p of report.problems.slice(0, SUMMARY_PROBLEMS)) lines.push(`- ${problemLine(p)}`);
  } else {
    lines.push('No problems found. When this pull request is merged, the curator publishes it.');
  }
  lines.push(
    '',
    `Checked ${plural(report.checkedFiles, 'file')} at \`${context.headSha.slice(0, 12)}\` against the base \`${context.baseSha.slice(0, 12)}\`.`,
  );
  lines.push(
    context.approvers.length > 0
      ? `Approved by ${context.approvers.map((a) => `@${a}`).join(', ')}${context.trusteeApproved ? ' (a trustee among them)' : ''}.`
      : 'No approving review of this commit yet.',
  );
  return { conclusion, title, summary: lines.join('\n') };
}

function problemLine(p: Problem): string {
  return `\`${formatProblem(p).replace(/`/g, "'")}\``;
}

/** The check run when validation itself could not run (GitHub unreachable, a bug): never a silent pass. */
export function validateCrashSummary(error: unknown): ValidateSummary {
  return {
    conclusion: 'failure',
    title: 'The check could not run',
    summary: [
      'The curator could not finish checking this pull request:',
      '',
      '```',
      formatError(error),
      '```',
      '',
      'Push again or ask a maintainer to re-run the check.',
    ].join('\n'),
  };
}

/** The one comment a first-time author gets. */
export function welcomeComment(author: string): string {
  return [
    `Thanks for your submission, @${author}! What happens next:`,
    '',
    '1. The **granary/validate** check reads your files and marks each problem on its line. It runs again on every push.',
    '2. A maintainer reviews. Some changes (a new name close to an existing one, bound fixes, a location change) also need a trustee to approve.',
    "3. When this pull request is merged, the curator builds the tarball from the pinned tag, attaches it to the package's GitHub release, updates the index, and replies here with the SHA-256 of each published version.",
  ].join('\n');
}

/** The release page of an asset path `<tag>/<file>`. */
export function releasePage(repoUrl: string, asset: string): string {
  const raw = asset.slice(0, asset.lastIndexOf('/'));
  let tag = raw;
  try {
    // Stores record the tag as one percent-encoded segment (`%40scope%2Fname`).
    tag = decodeURIComponent(raw);
  } catch {
    // Not encoded: use it as it is.
  }
  return `${repoUrl}/releases/tag/${tag.split('/').map(encodeURIComponent).join('/')}`;
}

export interface CurateSummary {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
}

/** What curation did, for the merged PR's comment and the commit's check run. `earlier` lists versions of this PR already published by a previous run. */
export function curateSummary(report: CurateReport, repoUrl: string, earlier: PublishedVersion[] = []): CurateSummary {
  const lines: string[] = [];
  const published = [
    ...report.published,
    ...earlier.filter((e) => !report.published.some((p) => p.name === e.name && p.version === e.version)),
  ];
  if (published.length > 0) {
    lines.push('Published:', '', '| package | version | SHA-256 | download |', '| --- | --- | --- | --- |');
    for (const v of published) {
      const url = v.urls[0];
      const file = v.asset.slice(v.asset.lastIndexOf('/') + 1);
      lines.push(
        `| \`${v.name}\` | ${v.version} | \`${v.sha256}\` | ${url ? `[${file}](${url})` : file} · [release](${releasePage(repoUrl, v.asset)}) |`,
      );
    }
    lines.push('');
  }
  for (const r of report.revised) lines.push(`- revised \`${r.name}@${r.version}\` (revision ${r.revision})`);
  for (const u of report.unpublished) lines.push(`- unpublished \`${u.name}@${u.version}\``);
  if (report.refused.length > 0) {
    lines.push('', `### ${plural(report.refused.length, 'change')} refused (nothing was published for them)`, '');
    for (const r of report.refused) lines.push(`- \`${r.file}\` (commit \`${r.commit.slice(0, 12)}\`): ${r.message}`);
    lines.push('', 'Fix them in a new pull request; everything else was published.');
  }
  if (
    published.length === 0 &&
    report.revised.length === 0 &&
    report.unpublished.length === 0 &&
    report.refused.length === 0
  ) {
    lines.push('Nothing new to publish: the index is already up to date.');
  }
  lines.push(
    '',
    report.indexCommit
      ? `Index updated in commit \`${report.indexCommit.slice(0, 12)}\`${report.snapshotVersion === undefined ? '' : ` (snapshot ${report.snapshotVersion})`}, curated up to \`${report.curatedCommit.slice(0, 12)}\`.`
      : `Curated up to \`${report.curatedCommit.slice(0, 12)}\`.`,
  );
  const conclusion = report.refused.length > 0 ? 'failure' : 'success';
  const title =
    conclusion === 'failure'
      ? `${plural(report.refused.length, 'change')} refused`
      : published.length > 0
        ? `Published ${published.map((v) => `${v.name}@${v.version}`).join(', ')}`.slice(0, 250)
        : 'Index up to date';
  return { conclusion, title, summary: lines.join('\n') };
}

/** Curation failed: what went wrong and what to do, never a silent drop. */
export function curateFailureSummary(error: unknown): CurateSummary {
  return {
    conclusion: 'failure',
    title: 'Curation failed',
    summary: [
      'The curator could not publish this merge:',
      '',
      '```',
      formatError(error),
      '```',
      '',
      "Nothing half-done is visible: assets already uploaded are reused and the index was not moved. A maintainer can re-run it by re-delivering the webhook from the app's settings, or with `granary curate`.",
    ].join('\n'),
  };
}
