// A demo that cannot fail proves nothing: each check below is run against a state where it cannot hold.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { LAYOUT, type DemoContext } from '../../tools/demo/context.js';
import { closeContext, openContext, runDemo, runStep, runSteps } from '../../tools/demo/run-demo.js';
import { createRegistry } from '../../tools/demo/steps/create-registry.js';
import { installAndVerify } from '../../tools/demo/steps/install.js';
import { DEMO_STEPS } from '../../tools/demo/steps/demo-steps.js';
import { pullRequests } from '../../tools/demo/steps/pull-requests.js';
import { storedAsset } from '../../tools/demo/steps/merge-and-curate.js';
import { createSources } from '../../tools/demo/steps/source-repos.js';
import { flipOneByte } from '../../tools/demo/steps/tamper.js';
import { buildWebsite } from '../../tools/demo/steps/website.js';
import { tempDir } from '../helpers/tmp.js';

let open: DemoContext | undefined;
afterEach(async () => {
  if (open) await closeContext(open);
  open = undefined;
});

async function context(websiteDir?: string): Promise<{ ctx: DemoContext; lines: string[] }> {
  const lines: string[] = [];
  const ctx = await openContext({
    log: (l) => lines.push(l),
    workDir: await tempDir('granary-demo-fail-'),
    ...(websiteDir === undefined ? {} : { websiteDir }),
  });
  open = ctx;
  return { ctx, lines };
}

describe('the demo fails when a step does not do what it says', () => {
  it('step 3 reports not ok when the registry no longer accepts file:// sources, so the first pull request cannot pass', async () => {
    const { ctx } = await context();
    const done = await runSteps(ctx, [createRegistry, createSources]);
    expect(done.map((s) => s.ok)).toEqual([true, true]);
    const file = ctx.path(`${LAYOUT.registry}/registry.yaml`);
    const doc = parseDocument(await readFile(file, 'utf8'));
    doc.setIn(['sources', 'schemes'], ['https']);
    await writeFile(file, doc.toString());
    await ctx.git.commit(ctx.path(LAYOUT.registry), ['commit', '-q', '-a', '-m', 'https sources only']);

    const result = await runStep(pullRequests, ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^pull request #1 should pass: granary validate exited 1: packages\/(strings|colors)\/1\.0\.0\.yaml:\d+:\d+: error: /,
    );
  });

  it('step 6 reports not ok with an integrity error when a served asset was changed before the install', async () => {
    const { ctx } = await context();
    const setup = await runSteps(ctx, DEMO_STEPS.slice(0, 5));
    expect(
      setup.filter((s) => !s.ok),
      JSON.stringify(setup),
    ).toEqual([]);
    await flipOneByte(storedAsset(ctx, 'colors', '1.0.0'));

    const result = await runStep(installAndVerify, ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/granary install exited 1: .*integrity check failed for colors@1\.0\.0/);
  });

  it('step 10 reports not ok, and touches nothing, when the website directory holds files it did not build', async () => {
    const websiteDir = join(await tempDir('granary-demo-fail-'), 'mine');
    await mkdir(websiteDir);
    await writeFile(join(websiteDir, 'notes.txt'), 'mine');
    const { ctx } = await context(websiteDir);
    const setup = await runSteps(ctx, DEMO_STEPS.slice(0, 4));
    expect(
      setup.filter((s) => !s.ok),
      JSON.stringify(setup),
    ).toEqual([]);

    const result = await runStep(buildWebsite, ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/granary site exited 2: .*not empty and holds no site built by granary/);
    expect(await readdir(websiteDir)).toEqual(['notes.txt']);
  });

  it('a later step cannot pass on an empty state: installing with nothing served fails, it is not skipped', async () => {
    const { ctx } = await context();
    const result = await runStep(installAndVerify, ctx);
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('step 5 did not run') });
  });

  it('runDemo stops at the first failed step, reports it, and still removes its directory', async () => {
    const lines: string[] = [];
    // Installing before anything is served cannot succeed: the run must stop there and say so.
    const result = await runDemo({
      log: (l) => lines.push(l),
      workDir: await tempDir('granary-demo-fail-'),
      steps: [createRegistry, installAndVerify, createSources],
    });
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.title, s.ok])).toEqual([
      ['Create a registry and its signing key', true],
      ['Install greeter with its dependencies and verify hashes', false],
    ]);
    expect(lines).toContain('2. Install greeter with its dependencies and verify hashes');
    expect(lines.some((l) => l.startsWith('3. '))).toBe(false);
    expect(existsSync(result.dir)).toBe(false);
  });

  it('keep leaves the directory in place', async () => {
    const result = await runDemo({
      log: () => {},
      workDir: await tempDir('granary-demo-keep-'),
      keep: true,
      steps: [createRegistry],
    });
    expect(result.ok).toBe(true);
    expect(existsSync(`${result.dir}/${LAYOUT.registry}/registry.yaml`)).toBe(true);
  });
});
