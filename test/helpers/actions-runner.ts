/**
 * Runs one job of a GitHub Actions workflow on this machine the way a runner does: its `run:` steps in
 * order in `bash -eo pipefail`, with the workflow, job and step `env:`, `${{ … }}` expressions
 * replaced from the contexts, and `GITHUB_OUTPUT`, `GITHUB_PATH` and `GITHUB_ENV` honoured between
 * steps. `uses:` steps are handed to the caller (a real action cannot run here), by action name.
 * An expression other than a plain context path fails the run: the test must learn about it.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';

export interface WorkflowStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface WorkflowJob {
  env?: Record<string, string>;
  steps: WorkflowStep[];
}

interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

export interface StepRun {
  name: string;
  /** The exit code of a `run:` step; 0 for a `uses:` step the caller ran. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface JobOptions {
  /** Where the repository is checked out (`GITHUB_WORKSPACE`, each step's working directory). */
  workspace: string;
  /** `RUNNER_TEMP`. */
  runnerTemp: string;
  /** The `github` context (event, repository, token, …). */
  github: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Variables the runner itself sets (`GITHUB_API_URL`, `PATH`, …) on top of a minimal environment. */
  env: Record<string, string>;
  /** Handlers for `uses:` steps, by action name without the `@ref` (e.g. `actions/checkout`). */
  uses: Record<string, (step: WorkflowStep, inputs: Record<string, string>) => Promise<void>>;
  /** Skip a step (by name) whose effect the caller provides another way; the test says why. */
  skip?: (step: WorkflowStep) => boolean;
}

/** Run `job` of the workflow text until a step fails (as a runner does); returns every step that ran. */
export async function runJob(workflowText: string, jobId: string, options: JobOptions): Promise<StepRun[]> {
  const workflow = parse(workflowText) as Workflow;
  const job = workflow.jobs[jobId];
  if (!job) throw new Error(`the workflow has no job ${jobId}`);
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const addedPath: string[] = [];
  const addedEnv: Record<string, string> = {};
  const contexts = () => ({
    github: options.github,
    secrets: options.secrets ?? {},
    steps,
    env: { ...workflow.env, ...job.env, ...addedEnv },
  });
  const runs: StepRun[] = [];
  for (const [i, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${i + 1}`;
    if (options.skip?.(step)) continue;
    if (step.uses !== undefined) {
      const action = step.uses.split('@')[0]!;
      const handler = options.uses[action];
      if (!handler) throw new Error(`no handler for the action ${action}`);
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), contexts())]),
      );
      await handler(step, inputs);
      runs.push({ name, code: 0, stdout: '', stderr: '' });
      continue;
    }
    const files = {
      output: join(options.runnerTemp, `output-${i}`),
      path: join(options.runnerTemp, `path-${i}`),
      env: join(options.runnerTemp, `env-${i}`),
    };
    for (const f of Object.values(files)) await writeFile(f, '');
    const scriptEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...workflow.env, ...job.env, ...addedEnv, ...step.env }))
      scriptEnv[k] = substitute(String(v), contexts());
    const env = {
      ...options.env,
      PATH: [...addedPath, options.env['PATH'] ?? ''].join(delimiter),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_TEMP: options.runnerTemp,
      GITHUB_OUTPUT: files.output,
      GITHUB_PATH: files.path,
      GITHUB_ENV: files.env,
      ...scriptEnv,
    };
    const script = join(options.runnerTemp, `step-${i}.sh`);
    await writeFile(script, substitute(step.run ?? '', contexts()));
    const result = await bash(script, options.workspace, env);
    runs.push({ name, ...result });
    if (step.id !== undefined) steps[step.id] = { outputs: keyValues(await readFile(files.output, 'utf8')) };
    addedPath.unshift(...(await readFile(files.path, 'utf8')).split('\n').filter(Boolean).reverse());
    Object.assign(addedEnv, keyValues(await readFile(files.env, 'utf8')));
    if (result.code !== 0) break;
  }
  return runs;
}

/**
 * Replace each `${{ a.b.c }}` by that context value ('' when absent, as Actions does); `a.b || c.d` is the
 * first operand that is not empty, as Actions' `||` gives for strings.
 */
function substitute(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    for (const operand of expression.split('||').map((o) => o.trim())) {
      if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/.test(operand))
        throw new Error(`unsupported expression \${{ ${expression} }}`);
      let value: unknown = contexts;
      for (const key of operand.split('.'))
        value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      if (value !== undefined && value !== null && value !== '' && value !== false) return String(value);
    }
    return '';
  });
}

/** `name=value` lines (the single-line form of GITHUB_OUTPUT and GITHUB_ENV). */
function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

function bash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
