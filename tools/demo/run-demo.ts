/** The whole lifecycle in one call: each step printed as a person would read it, and checked. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createContext, DemoCheckFailed, type DemoContext } from './context.js';
import { ISOLATED_GIT_ENV } from './git.js';
import type { DemoStep } from './step.js';
import { DEMO_STEPS } from './steps/demo-steps.js';

export interface DemoOptions {
  log: (line: string) => void;
  /** Where to create the demo's temporary directory (default: the system's temporary directory). */
  workDir?: string;
  /** Keep the temporary directory instead of removing it. */
  keep?: boolean;
  /** The steps to run (default: all of them, in order). */
  steps?: readonly DemoStep[];
  /** Where the last step builds the registry's website (default: `website` in the demo's directory, removed with it unless `keep`). */
  websiteDir?: string;
}

export interface StepResult {
  title: string;
  ok: boolean;
  detail?: string;
}

export interface DemoResult {
  ok: boolean;
  steps: StepResult[];
  seconds: number;
  /** The demo's directory: already removed unless `keep` was set. */
  dir: string;
  /** The registry's website directory (its index.html is the home page). */
  websiteDir: string;
}

/** A step that takes longer is stuck (the whole demo takes a few seconds); it fails rather than hangs. */
export const STEP_TIMEOUT_MS = 60_000;

function timeLimit(ms: number): { expired: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new DemoCheckFailed(`the step did not finish within ${ms / 1000} s`)), ms);
  });
  return { expired, clear: () => clearTimeout(timer) };
}

/** Run one step and turn its outcome into a result; a step never throws. */
export async function runStep(step: DemoStep, ctx: DemoContext, timeoutMs = STEP_TIMEOUT_MS): Promise<StepResult> {
  const limit = timeLimit(timeoutMs);
  try {
    const detail = await Promise.race([withIsolatedGit(() => step.run(ctx)), limit.expired]);
    ctx.log(`   ✓ ${detail}`);
    return { title: step.title, ok: true, detail };
  } catch (error) {
    const why =
      error instanceof DemoCheckFailed
        ? error.message
        : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
    ctx.log(`   ✗ ${why}`);
    return { title: step.title, ok: false, detail: why };
  } finally {
    limit.clear();
  }
}

/** Run `steps` in order in `ctx`, stopping at the first that fails. */
export async function runSteps(ctx: DemoContext, steps: readonly DemoStep[], first = 1): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [i, step] of steps.entries()) {
    ctx.log('');
    ctx.log(`${first + i}. ${step.title}`);
    const result = await runStep(step, ctx);
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}

/** Stop the servers a context started. */
export async function closeContext(ctx: DemoContext): Promise<void> {
  await Promise.all([ctx.state.server?.close(), ctx.state.mirrorServer?.close()]);
}

/**
 * Commands run in-process and some of them start git with this process's environment; for the
 * length of the demo that environment must not bring in the user's git configuration.
 */
async function withIsolatedGit<T>(work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(ISOLATED_GIT_ENV).map((k) => [k, process.env[k]]));
  Object.assign(process.env, ISOLATED_GIT_ENV);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Make a fresh demo directory with a context in it. */
export async function openContext(options: Pick<DemoOptions, 'log' | 'workDir' | 'websiteDir'>): Promise<DemoContext> {
  const parent = resolve(options.workDir ?? tmpdir());
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(join(parent, 'granary-demo-'));
  return createContext(root, options.log, options.websiteDir === undefined ? undefined : resolve(options.websiteDir));
}

/** Run the demo; `ok` only when every step's check held. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const planned = options.steps ?? DEMO_STEPS;
  const ctx = await openContext(options);
  let steps: StepResult[];
  try {
    options.log(`Granary demo in ${ctx.root}`);
    steps = await runSteps(ctx, planned);
  } finally {
    await closeContext(ctx);
    if (!options.keep) await rm(ctx.root, { recursive: true, force: true });
  }
  const ok = steps.length === planned.length && steps.every((s) => s.ok);
  return { ok, steps, seconds: (performance.now() - started) / 1000, dir: ctx.root, websiteDir: ctx.websiteDir };
}
