/** Step 3: pull requests as branches of the registry, checked with `granary validate --base main`; one refused, fixed, then passing. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { check, described, LAYOUT, type DemoContext } from '../context.js';
import type { DemoStep } from '../step.js';
import { SOURCES, sourceUrl } from './source-repos.js';

/** A pull request: its branch, author, and the title GitHub would give its merge commit. */
export interface PullRequest {
  number: number;
  branch: string;
  author: string;
  title: string;
}

export const FIRST_PR: PullRequest = {
  number: 1,
  branch: 'alice/strings-and-colors',
  author: 'alice',
  title: 'Add strings and colors',
};
export const GREETER_PR: PullRequest = { number: 2, branch: 'bob/greeter', author: 'bob', title: 'Add greeter 1.0.0' };
/** The range greeter first asks for: no published strings matches it, so the pull request is refused. */
export const BAD_STRINGS_RANGE = '^3.0.0';
export const GOOD_STRINGS_RANGE = '^1.0.0';

const DESCRIPTIONS: Record<string, string> = {
  strings: 'Small string helpers.',
  colors: 'Terminal colours.',
  greeter: 'Says hello, in colour.',
};

/** The text of packages/<name>/<version>.yaml. */
export function definitionYaml(
  ctx: DemoContext,
  name: string,
  version: string,
  owner: string,
  dependencies: Record<string, string> = {},
): string {
  const deps = Object.entries(dependencies);
  return [
    `name: ${name}`,
    `version: ${version}`,
    `description: ${DESCRIPTIONS[name] ?? name}`,
    'license: MIT',
    'location:',
    `  git: ${sourceUrl(ctx, name)}`,
    `ref: v${version}`,
    ...(deps.length ? ['dependencies:', ...deps.map(([dep, range]) => `  ${dep}: "${range}"`)] : []),
    'keywords: [demo]',
    'owners:',
    `  - ${owner}`,
    'files:',
    '  exclude: ["test/**"]',
    '',
  ].join('\n');
}

/** Write `files` (registry-relative path → text) on the pull request's branch and commit them. */
export async function commitOnBranch(
  ctx: DemoContext,
  pr: PullRequest,
  files: Record<string, string>,
  message: string,
  create: boolean,
  show = false,
): Promise<void> {
  const repo = ctx.path(LAYOUT.registry);
  ctx.command(`git -C ${LAYOUT.registry} switch ${create ? `-c ${pr.branch} main` : pr.branch}`);
  ctx.note(`write ${Object.keys(files).join(', ')}${show ? ':' : ''}`);
  if (show)
    for (const text of Object.values(files))
      ctx.output(
        text.split('\n').map((line, i) => `${String(i + 1).padStart(2)} | ${line}`),
        Infinity,
      );
  ctx.command(`git -C ${LAYOUT.registry} add -A && git -C ${LAYOUT.registry} commit -m '${message}'`);
  await ctx.git(repo, create ? ['switch', '-q', '-c', pr.branch, 'main'] : ['switch', '-q', pr.branch]);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(ctx.path(`${LAYOUT.registry}/${file}`)), { recursive: true });
    await writeFile(ctx.path(`${LAYOUT.registry}/${file}`), text);
  }
  await ctx.git(repo, ['add', '-A']);
  await ctx.git.commit(repo, ['commit', '-q', '-m', message]);
  await ctx.git(repo, ['switch', '-q', 'main']);
}

/** `granary validate` of a pull request, as the check on GitHub runs it. */
export function validatePr(ctx: DemoContext, pr: PullRequest, extra: string[] = []) {
  return ctx.granary([
    'validate',
    '--repo',
    LAYOUT.registry,
    '--base',
    'main',
    '--head',
    pr.branch,
    '--author',
    pr.author,
    ...extra,
  ]);
}

export const pullRequests: DemoStep = {
  title: 'Open pull requests and validate them',
  async run(ctx) {
    const first: Record<string, string> = {};
    for (const name of ['strings', 'colors']) {
      for (const { version } of SOURCES[name]!)
        first[`packages/${name}/${version}.yaml`] = definitionYaml(ctx, name, version, FIRST_PR.author);
    }
    await commitOnBranch(ctx, FIRST_PR, first, FIRST_PR.title, true);
    const ok1 = await validatePr(ctx, FIRST_PR);
    check(ok1.code === 0, `pull request #1 should pass: ${described(ok1)}`);
    // greeter depends on strings and colors, so its pull request is opened once #1 is on main.
    await mergePr(ctx, FIRST_PR);

    const greeterFile = 'packages/greeter/1.0.0.yaml';
    const greeter = (range: string) =>
      definitionYaml(ctx, 'greeter', '1.0.0', GREETER_PR.author, { strings: range, colors: '^1.0.0' });
    await commitOnBranch(ctx, GREETER_PR, { [greeterFile]: greeter(BAD_STRINGS_RANGE) }, GREETER_PR.title, true, true);
    const refused = await validatePr(ctx, GREETER_PR);
    check(refused.code === 1, `pull request #2 should be refused (exit 1): ${described(refused)}`);
    const reason = refused.text
      .split('\n')
      .find((l) => l.startsWith(`${greeterFile}:`) && l.includes(`strings matches "${BAD_STRINGS_RANGE}"`));
    check(
      reason && /^packages\/greeter\/1\.0\.0\.yaml:\d+:\d+: error: /.test(reason),
      `the refusal does not say, at ${greeterFile}:line, that no strings matches ${BAD_STRINGS_RANGE}: ${described(refused)}`,
    );

    await commitOnBranch(
      ctx,
      GREETER_PR,
      { [greeterFile]: greeter(GOOD_STRINGS_RANGE) },
      `greeter: depend on strings ${GOOD_STRINGS_RANGE}`,
      false,
    );
    const ok2 = await validatePr(ctx, GREETER_PR);
    check(ok2.code === 0, `pull request #2 should pass once fixed: ${described(ok2)}`);
    return `#1 passed and merged; #2 refused (${reason}), fixed, passed`;
  },
};

/** Merge a pull request into main the way GitHub's merge button does: a merge commit, main as first parent. */
export async function mergePr(ctx: DemoContext, pr: PullRequest): Promise<void> {
  const message = `Merge pull request #${pr.number} from ${pr.branch}\n\n${pr.title}`;
  ctx.note(`pull request #${pr.number} (${pr.title}) is merged:`);
  ctx.command(`git -C ${LAYOUT.registry} switch main && git -C ${LAYOUT.registry} merge --no-ff ${pr.branch}`);
  await ctx.git.commit(ctx.path(LAYOUT.registry), ['merge', '-q', '--no-ff', '-m', message, pr.branch]);
}
