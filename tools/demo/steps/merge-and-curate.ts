/** Step 4: merge both pull requests (`--no-ff`, as GitHub does) and curate into the fs: store. */
import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../../../core/hash.js';
import { check, described, LAYOUT, type DemoContext } from '../context.js';
import type { DemoStep } from '../step.js';
import { GREETER_PR, mergePr } from './pull-requests.js';
import { SOURCES } from './source-repos.js';

/** Run `granary curate` into the demo's store; returns name@version → sha256 of what it published. */
export async function curate(ctx: DemoContext) {
  const run = await ctx.granary([
    'curate',
    '--repo',
    LAYOUT.registry,
    '--store',
    `fs:${LAYOUT.store}`,
    '--sign-key',
    LAYOUT.signingKey,
  ]);
  const published = new Map<string, string>();
  for (const line of run.stdout.split('\n')) {
    const m = /^published\s+(\S+@\S+)\s+sha256:([0-9a-f]{64})\b/.exec(line);
    if (m) published.set(m[1]!, m[2]!);
  }
  return { run, published };
}

/** The file a version's tarball is stored at in the fs: store. */
export function storedAsset(ctx: DemoContext, name: string, version: string): string {
  return ctx.path(`${LAYOUT.store}/${name}/${name}-${version}.tar.gz`);
}

export const mergeAndCurate: DemoStep = {
  title: 'Merge and curate',
  async run(ctx) {
    await mergePr(ctx, GREETER_PR);
    const parents = await ctx.git(ctx.path(LAYOUT.registry), ['log', '--first-parent', '--format=%s', 'main', '-2']);
    check(
      parents.split('\n').every((s) => s.startsWith('Merge pull request')),
      `main's first-parent history is not two merge commits: ${parents}`,
    );

    const { run, published } = await curate(ctx);
    check(run.code === 0, described(run));
    const expected = Object.entries(SOURCES).flatMap(([name, releases]) => releases.map((r) => `${name}@${r.version}`));
    for (const id of expected) {
      const sha = published.get(id);
      check(sha, `curate did not report publishing ${id}`);
      const [name, version] = id.split('@') as [string, string];
      const bytes = await readFile(storedAsset(ctx, name, version)).catch(() => undefined);
      check(bytes, `${id} is not in the store at ${LAYOUT.store}/${name}/`);
      check(
        sha256Hex(bytes) === sha,
        `${id}: the stored tarball's sha256 is ${sha256Hex(bytes)}, curate printed ${sha}`,
      );
      const sidecar = await readFile(`${storedAsset(ctx, name, version)}.sha256`, 'utf8').catch(() => '');
      check(sidecar.startsWith(sha), `${id}: the .sha256 sidecar does not hold ${sha}`);
    }
    ctx.state.published = published;

    const indexCheck = await ctx.granary(['index', 'check', '--repo', LAYOUT.registry]);
    check(indexCheck.code === 0, `the index branch does not rebuild from main: ${described(indexCheck)}`);
    return `${published.size} versions published, index branch signed and consistent`;
  },
};
