/** Check runs with annotations: GitHub takes at most 50 annotations per request, so the rest follow in updates. */
import type { Problem } from '../../core/errors.js';
import { githubError } from './api-error.js';
import type { GitHub, RepoRef } from './octokit.js';

export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on a check run's summary and text. */
export const MAX_OUTPUT_CHARS = 65_535;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

export type Conclusion = 'success' | 'failure' | 'neutral' | 'action_required';

export interface CheckRunReport {
  name: string;
  headSha: string;
  conclusion: Conclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
  /** Lets a redelivered event be recognized; GitHub shows it nowhere. */
  externalId?: string;
}

/** One annotation per problem that points at a file; problems without a file stay in the summary only. */
export function annotationsOf(problems: Problem[]): Annotation[] {
  return problems
    .filter((p) => p.file !== '')
    .map((p) => {
      const line = Math.max(1, Math.floor(p.line) || 1);
      const col = Math.max(1, Math.floor(p.col) || 1);
      return {
        path: p.file,
        start_line: line,
        end_line: line,
        start_column: col,
        end_column: col,
        annotation_level: p.severity === 'error' ? 'failure' : 'warning',
        message: p.message,
        title: p.rule,
      } satisfies Annotation;
    });
}

/** Split annotations into request-sized batches (at least one batch, possibly empty). */
export function annotationBatches(annotations: Annotation[]): Annotation[][] {
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST)
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return batches.length === 0 ? [[]] : batches;
}

function clip(text: string): string {
  return text.length <= MAX_OUTPUT_CHARS
    ? text
    : `${text.slice(0, MAX_OUTPUT_CHARS - 40)}\n\n… (cut at GitHub's size limit)`;
}

/** Create a completed check run carrying the report; returns its id. */
export async function publishCheckRun(github: GitHub, ref: RepoRef, report: CheckRunReport): Promise<number> {
  const [first, ...rest] = annotationBatches(report.annotations);
  const output = (annotations: Annotation[]) => ({
    title: report.title,
    summary: clip(report.summary),
    ...(report.text === undefined ? {} : { text: clip(report.text) }),
    ...(annotations.length > 0 ? { annotations } : {}),
  });
  let id: number;
  try {
    const { data } = await github.rest.checks.create({
      ...ref,
      name: report.name,
      head_sha: report.headSha,
      status: 'completed',
      conclusion: report.conclusion,
      ...(report.externalId === undefined ? {} : { external_id: report.externalId }),
      output: output(first!),
    });
    id = data.id;
  } catch (error) {
    throw githubError(error, `creating the ${report.name} check run on ${report.headSha.slice(0, 12)}`, {
      repo: `${ref.owner}/${ref.repo}`,
      permission: 'checks: write',
    });
  }
  for (const batch of rest) {
    try {
      // Annotations sent in an update are appended to the ones already there.
      await github.rest.checks.update({ ...ref, check_run_id: id, output: output(batch) });
    } catch (error) {
      throw githubError(error, `adding annotations to check run ${id}`, {
        repo: `${ref.owner}/${ref.repo}`,
        permission: 'checks: write',
      });
    }
  }
  return id;
}
