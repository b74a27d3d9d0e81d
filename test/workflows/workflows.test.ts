// The workflows a registry gets (and this repository's CI): structure, and the security properties that matter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MERGE_GROUP_ACTIONS, PULL_REQUEST_ACTIONS, RERUN_ACTIONS, REVIEW_ACTIONS } from '../../curator/app/app.js';
import { DEFAULT_WEBHOOK_PATH } from '../../curator/app/config.js';
import { CLI_SOURCE_PLACEHOLDER, githubFiles, PINNED_CLI_SOURCE } from '../../curator/init/github-files.js';

const root = join(import.meta.dirname, '../..');
const generated = githubFiles({ name: 'example', github: 'example-org/registry' });
const workflows: Record<string, string> = {
  'validate.yml': generated['.github/workflows/validate.yml']!,
  'curate.yml': generated['.github/workflows/curate.yml']!,
  'automerge.yml': generated['.github/workflows/automerge.yml']!,
  'ci.yml (this repository)': readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8'),
};

type Step = {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  name?: string;
  id?: string;
};
type Job = {
  'runs-on': string;
  steps: Step[];
  'timeout-minutes'?: number;
  strategy?: unknown;
  permissions?: Record<string, string>;
};
type Workflow = {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  env?: Record<string, string>;
};

const WORKFLOW_KEYS = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs']);
const JOB_KEYS = new Set([
  'name',
  'runs-on',
  'steps',
  'timeout-minutes',
  'strategy',
  'env',
  'permissions',
  'needs',
  'if',
  'concurrency',
  'defaults',
  'outputs',
  'environment',
  'continue-on-error',
]);
const STEP_KEYS = new Set([
  'name',
  'id',
  'uses',
  'run',
  'with',
  'env',
  'if',
  'shell',
  'working-directory',
  'continue-on-error',
  'timeout-minutes',
]);
const EVENTS = new Set([
  'push',
  'pull_request',
  'pull_request_review',
  'merge_group',
  'workflow_dispatch',
  'pull_request_target',
  'schedule',
]);

/** The checks a schema would make, for the keys these workflows use. */
function structureProblems(text: string): string[] {
  const problems: string[] = [];
  const wf = parse(text) as Record<string, unknown>;
  for (const key of Object.keys(wf)) if (!WORKFLOW_KEYS.has(key)) problems.push(`unknown top-level key ${key}`);
  const on = wf['on'];
  if (typeof on !== 'object' || on === null) problems.push('`on` must be a mapping of events');
  else for (const e of Object.keys(on)) if (!EVENTS.has(e)) problems.push(`unknown event ${e}`);
  const jobs = wf['jobs'] as Record<string, Record<string, unknown>> | undefined;
  if (!jobs || Object.keys(jobs).length === 0) problems.push('no jobs');
  for (const [id, job] of Object.entries(jobs ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)) problems.push(`bad job id ${id}`);
    for (const key of Object.keys(job)) if (!JOB_KEYS.has(key)) problems.push(`${id}: unknown job key ${key}`);
    if (typeof job['runs-on'] !== 'string') problems.push(`${id}: runs-on missing`);
    const steps = job['steps'] as Step[] | undefined;
    if (!Array.isArray(steps) || steps.length === 0) problems.push(`${id}: no steps`);
    for (const step of steps ?? []) {
      for (const key of Object.keys(step)) if (!STEP_KEYS.has(key)) problems.push(`${id}: unknown step key ${key}`);
      if ((step.uses === undefined) === (step.run === undefined))
        problems.push(`${id}: a step needs exactly one of uses/run`);
      for (const [k, v] of Object.entries(step.env ?? {}))
        if (typeof v !== 'string') problems.push(`${id}: env ${k} must be a string`);
    }
  }
  for (const [k, v] of Object.entries(wf['permissions'] ?? {}))
    if (!['read', 'write', 'none'].includes(v as string)) problems.push(`permission ${k}: ${String(v)}`);
  return problems;
}

const load = (name: string) => parse(workflows[name]!) as Workflow;
const allSteps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);

describe('workflow files', () => {
  it.each(Object.keys(workflows))('%s has a valid structure', (name) => {
    expect(structureProblems(workflows[name]!)).toEqual([]);
  });

  it.each(Object.keys(workflows))(
    '%s pins every action to a full commit SHA and checks out without keeping credentials',
    (name) => {
      const steps = allSteps(load(name));
      const uses = steps.filter((s) => s.uses !== undefined);
      expect(uses.length).toBeGreaterThan(0);
      for (const s of uses) expect(s.uses).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+@[0-9a-f]{40}$/);
      for (const s of uses.filter((u) => u.uses!.startsWith('actions/checkout@'))) {
        expect(s.with?.['persist-credentials']).toBe(false);
        expect(s.with?.['fetch-depth']).toBe(0);
      }
      expect(workflows[name]).not.toContain('pull_request_target');
    },
  );

  it.each(Object.keys(workflows))(
    '%s never expands an expression inside a shell script (values go through env)',
    (name) => {
      for (const s of allSteps(load(name))) if (s.run !== undefined) expect(s.run).not.toContain('${{');
    },
  );

  it('validate.yml runs on pull requests, reviews and merge queues only, read-only, with no secrets', () => {
    const wf = load('validate.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['merge_group', 'pull_request', 'pull_request_review']);
    expect(Object.values(wf.permissions).every((p) => p === 'read')).toBe(true);
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(workflows['validate.yml']).not.toMatch(/secrets\./);
    for (const job of Object.values(wf.jobs)) expect(job.permissions ?? {}).toEqual({});
    const validate = allSteps(wf).find((s) => s.run?.includes(' validate '));
    expect(validate?.run).toContain('validate --base "$BASE" --head HEAD --author "$PR_AUTHOR"');
    expect(validate?.env).toMatchObject({
      BASE: '${{ steps.pr.outputs.base }}',
      PR_AUTHOR: '${{ steps.pr.outputs.author }}',
    });
    const pr = allSteps(wf).find((s) => s.id === 'pr');
    expect(pr?.env).toMatchObject({
      BASE_REF: '${{ github.event.pull_request.base.ref }}',
      PR_AUTHOR: '${{ github.event.pull_request.user.login }}',
      QUEUE_REF: '${{ github.event.merge_group.head_ref }}',
      QUEUE_BASE: '${{ github.event.merge_group.base_sha }}',
    });
  });

  it('curate.yml runs on pushes to main, may write contents, and is serialized without cancelling', () => {
    const wf = load('curate.yml');
    expect(wf.on['push']).toEqual({ branches: ['main'] });
    expect(Object.keys(wf.on).sort()).toEqual(['push', 'schedule', 'workflow_dispatch']);
    expect(wf.permissions).toEqual({ contents: 'write', 'pull-requests': 'read' });
    expect(wf.concurrency).toEqual({ group: 'granary-curate', 'cancel-in-progress': false });
    const curate = allSteps(wf).find((s) => s.run?.includes(' curate '));
    expect(curate?.run).toContain(
      'curate --main-branch "$MAIN_BRANCH" --store "github:$GITHUB_REPOSITORY" --github "$GITHUB_REPOSITORY"',
    );
    expect(curate?.env).toEqual({
      MAIN_BRANCH: '${{ github.event.repository.default_branch }}',
      GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      GRANARY_SIGNING_KEY: '${{ secrets.GRANARY_SIGNING_KEY }}',
    });
    // A failed curation fails the job: no step swallows errors.
    for (const s of allSteps(wf)) {
      expect(s['continue-on-error' as keyof Step]).toBeUndefined();
      expect(s.run ?? '').not.toMatch(/\|\|\s*true/);
    }
    const pushes = allSteps(wf).filter((s) => s.run?.includes('git -c'));
    expect(pushes).toHaveLength(2);
    for (const push of pushes) {
      expect(push.run).toContain('push origin "refs/heads/$INDEX_BRANCH:refs/heads/$INDEX_BRANCH"');
      expect(push.run).not.toMatch(/push[^\n]*(--force|\+refs)/);
    }
  });

  it('curate.yml counts downloads and publishes the website beside the index, after the index is pushed', () => {
    const steps = allSteps(load('curate.yml'));
    const names = steps.map((s) => s.name);
    const at = (name: string) => names.indexOf(name);
    expect(at('granary stats collect')).toBeGreaterThan(at('Push the index branch (fast-forward only)'));
    expect(at('granary site publish')).toBeGreaterThan(at('granary stats collect'));
    expect(names.at(-1)).toBe('Push the download counts and the website (fast-forward only)');
    const stats = steps[at('granary stats collect')]!;
    expect(stats.run).toContain(
      'granary stats collect --store "github:$GITHUB_REPOSITORY" --index-branch "$INDEX_BRANCH"',
    );
    // Reading the releases' counts needs the token; nothing else: the signing key signs nothing here.
    expect(stats.env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    const site = steps[at('granary site publish')]!;
    expect(site.run).toContain(
      'granary site publish --index-branch "$INDEX_BRANCH" --base-path "/${GITHUB_REPOSITORY#*/}/site/" --cache "$RUNNER_TEMP/granary-cache"',
    );
    expect(site.env).toBeUndefined();
    expect(site.run).not.toMatch(/--force/);
  });

  it('automerge.yml runs every 15 minutes and by hand, one run at a time, with only what merging and starting curate.yml need', () => {
    const wf = load('automerge.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.on['schedule']).toEqual([{ cron: '7,22,37,52 * * * *' }]);
    expect(wf.permissions).toEqual({
      contents: 'write',
      'pull-requests': 'write',
      checks: 'read',
      issues: 'read',
      actions: 'write',
    });
    expect(wf.concurrency).toEqual({ group: 'granary-automerge', 'cancel-in-progress': false });
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions ?? {}).toEqual({});
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
    const steps = allSteps(wf);
    // Everything goes through the API: nothing is checked out.
    expect(steps.some((s) => s.uses?.startsWith('actions/checkout@'))).toBe(false);
    const merge = steps.find((s) => s.id === 'automerge');
    expect(merge?.run).toContain('granary automerge --github "$GITHUB_REPOSITORY" --if-enabled --json');
    expect(merge?.env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    // A merge made with GITHUB_TOKEN starts no push workflow: curate.yml is started by name, after a merge only.
    const dispatch = steps.at(-1);
    expect(dispatch?.run).toContain('if [ "$MERGED" -gt 0 ]; then');
    expect(dispatch?.run).toContain(
      'gh workflow run curate.yml --repo "$GITHUB_REPOSITORY" --ref "${MAIN_BRANCH:-main}"',
    );
    expect(dispatch?.env).toEqual({
      GH_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      MERGED: '${{ steps.automerge.outputs.merged }}',
      MAIN_BRANCH: '${{ github.event.repository.default_branch }}',
    });
    expect(Object.keys(load('curate.yml').on)).toContain('workflow_dispatch');
    for (const s of steps) {
      expect(s['continue-on-error' as keyof Step]).toBeUndefined();
      expect(s.run ?? '').not.toMatch(/\|\|\s*true/);
    }
  });

  it('this repository tests itself with npm ci && npm test, read-only', () => {
    const wf = load('ci.yml (this repository)');
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(allSteps(wf).some((s) => s.run === 'npm ci && npm test')).toBe(true);
  });

  it('installs the CLI only from a source pinned to a commit, never an unpinned package name', () => {
    const pinned = `github:acme/granary#${'0123456789abcdef'.repeat(2)}01234567`;
    expect(PINNED_CLI_SOURCE.test(pinned)).toBe(true);
    for (const bad of [
      'granary',
      'granary@0.1.0',
      'github:acme/granary',
      'github:acme/granary#main',
      'github:acme/granary#v1.0.0',
      CLI_SOURCE_PLACEHOLDER,
      `https://x#${'a'.repeat(40)}`,
    ]) {
      expect(PINNED_CLI_SOURCE.test(bad), bad).toBe(false);
    }
    const files = githubFiles({ name: 'demo', github: 'acme/registry', cliSource: pinned });
    for (const name of ['validate.yml', 'curate.yml', 'automerge.yml']) {
      const wf = parse(files[`.github/workflows/${name}`]!) as Workflow;
      expect(wf.env?.['GRANARY_CLI']).toBe(pinned);
      const steps = allSteps(wf);
      const install = steps.findIndex((s) => s.name === 'Install the pinned granary CLI');
      const use = steps.findIndex((s) => /^\s*granary (validate|curate|automerge) /m.test(s.run ?? ''));
      expect(install).toBeGreaterThanOrEqual(0);
      expect(use).toBeGreaterThan(install);
      for (const s of steps) expect(s.run ?? '').not.toMatch(/npx|npm (install|i) [^-]*granary@/);
    }
    // The default is a placeholder the install step's own check refuses.
    expect(load('validate.yml').env?.['GRANARY_CLI']).toBe(CLI_SOURCE_PLACEHOLDER);
  });
});

describe('app manifests', () => {
  const manifests = {
    'app.yml': readFileSync(join(root, 'app.yml'), 'utf8'),
    'generated app.yml': generated['app.yml']!,
  };
  it.each(Object.keys(manifests))('%s asks for exactly the events and permissions the app uses', (name) => {
    const m = parse(manifests[name as keyof typeof manifests]) as {
      default_events: string[];
      default_permissions: Record<string, string>;
      name: string;
      url: string;
      hook_attributes: { url: string; active: boolean };
    };
    // The manifest flow registers the webhook from it: the app's own endpoint (DEFAULT webhook path), active.
    expect(m.hook_attributes.active).toBe(true);
    expect(new URL(m.hook_attributes.url).pathname).toBe(DEFAULT_WEBHOOK_PATH);
    expect(m.hook_attributes.url).toMatch(/^https:\/\//);
    expect(m.default_permissions).toEqual({
      checks: 'write',
      contents: 'write',
      pull_requests: 'write',
      metadata: 'read',
    });
    const handled = new Set(
      [
        ...PULL_REQUEST_ACTIONS,
        ...REVIEW_ACTIONS,
        ...MERGE_GROUP_ACTIONS,
        ...RERUN_ACTIONS,
        'pull_request.closed',
        'push',
      ].map((e) => e.split('.')[0]),
    );
    expect(new Set(m.default_events)).toEqual(handled);
    expect(typeof m.name).toBe('string');
    expect(m.url).toMatch(/^https:\/\//);
  });

  it('CODEOWNERS names the owner for registry settings and automation', () => {
    expect(generated['.github/CODEOWNERS']).toContain('/registry.yaml @example-org');
    expect(githubFiles({ name: 'x' })['.github/CODEOWNERS']).toContain('# /registry.yaml @OWNER');
  });
});
