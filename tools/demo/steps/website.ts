/** Step 10: the registry's website built from its repository's signed index, and where to open it. */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { check, described, LAYOUT, type DemoContext } from '../context.js';
import type { DemoStep } from '../step.js';
import { SOURCES } from './source-repos.js';

/** The website directory as the printed commands name it: relative to the demo directory when inside it. */
export function websiteArg(ctx: DemoContext): string {
  const inside = relative(ctx.root, ctx.websiteDir);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? ctx.websiteDir : inside;
}

/** The address of the website's home page, to open in a browser. */
export function websiteUrl(websiteDir: string): string {
  return pathToFileURL(join(websiteDir, 'index.html')).href;
}

export const buildWebsite: DemoStep = {
  title: "Build the registry's website",
  async run(ctx) {
    const out = websiteArg(ctx);
    const build = await ctx.granary([
      'site',
      'build',
      '--registry',
      LAYOUT.registry,
      '--trust-key',
      ctx.state.publicKey ?? '',
      '--out',
      out,
      '--cache',
      `${LAYOUT.cache}/website`,
    ]);
    check(build.code === 0, described(build));
    const packages = Object.keys(SOURCES).length;
    check(
      new RegExp(` for ${packages} packages in `).test(build.stdout),
      `the site does not show the ${packages} packages: ${build.stdout.trim()}`,
    );
    const home = join(ctx.websiteDir, 'index.html');
    check((await stat(home).catch(() => undefined))?.isFile(), `there is no index.html in ${out}`);
    const greeter = await readFile(join(ctx.websiteDir, 'package', 'greeter.html'), 'utf8').catch(() => '');
    check(greeter.includes('Says hello, in colour.'), `${out}/package/greeter.html does not show greeter's README`);
    for (const dependency of ['strings', 'colors'])
      check(
        greeter.includes(`<a href="../package/${dependency}.html">${dependency}</a>`),
        `greeter's page does not link its dependency ${dependency}`,
      );
    ctx.output([`open ${websiteUrl(ctx.websiteDir)}`, `or preview it over HTTP: granary site serve ${out}`]);
    return `website of ${packages} packages in ${out}`;
  },
};
