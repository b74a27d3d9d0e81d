/** Step 2: three small source repositories with release tags, referenced as `git: file:///…`. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { check, LAYOUT, type DemoContext } from '../context.js';
import type { DemoStep } from '../step.js';

interface SourceRelease {
  version: string;
  files: Record<string, string>;
}

const stringsFiles = (version: string, extra = ''): Record<string, string> => ({
  'README.md': '# strings\n\nSmall string helpers.\n',
  LICENSE: 'MIT License\n',
  'src/index.js': `export const version = '${version}';\nexport function pad(text, width) {\n  return text.padEnd(width);\n}\n${extra}`,
});

/** The packages and the releases (tags) of each; `strings` has three, so resolution has choices. */
export const SOURCES: Record<string, SourceRelease[]> = {
  strings: [
    { version: '1.0.0', files: stringsFiles('1.0.0') },
    {
      version: '1.1.0',
      files: stringsFiles('1.1.0', 'export function upper(text) {\n  return text.toUpperCase();\n}\n'),
    },
    {
      version: '2.0.0',
      files: stringsFiles(
        '2.0.0',
        'export function upper(text, locale) {\n  return text.toLocaleUpperCase(locale);\n}\n',
      ),
    },
  ],
  colors: [
    {
      version: '1.0.0',
      files: {
        'README.md': '# colors\n\nTerminal colours.\n',
        LICENSE: 'MIT License\n',
        'src/index.js': 'export const green = (text) => `\\u001b[32m${text}\\u001b[39m`;\n',
      },
    },
  ],
  greeter: [
    {
      version: '1.0.0',
      files: {
        'README.md': '# greeter\n\nSays hello, in colour.\n',
        LICENSE: 'MIT License\n',
        'src/index.js':
          "import { upper } from 'strings';\nimport { green } from 'colors';\nexport const greet = (name) => green(`Hello, ${upper(name)}!`);\n",
        'test/greet.test.js': '// not part of the package: excluded by files.exclude\n',
      },
    },
  ],
};

/** The `git: file:///…` URL of a source repository. */
export function sourceUrl(ctx: DemoContext, name: string): string {
  return pathToFileURL(ctx.path(`${LAYOUT.sources}/${name}`)).href;
}

async function createSource(ctx: DemoContext, name: string, releases: SourceRelease[]): Promise<void> {
  const dir = ctx.path(`${LAYOUT.sources}/${name}`);
  await mkdir(dir, { recursive: true });
  await ctx.git(dir, ['init', '-q', '-b', 'main']);
  for (const release of releases) {
    for (const [file, content] of Object.entries(release.files)) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), content);
    }
    await ctx.git(dir, ['add', '-A']);
    await ctx.git.commit(dir, ['commit', '-q', '-m', `Release ${release.version}`]);
    await ctx.git(dir, ['tag', `v${release.version}`]);
  }
}

export const createSources: DemoStep = {
  title: 'Create three source repositories with tags',
  async run(ctx) {
    for (const [name, releases] of Object.entries(SOURCES)) {
      const tags = releases.map((r) => `v${r.version}`);
      ctx.command(`git init -b main ${LAYOUT.sources}/${name}`);
      ctx.note(`write the files of each release, commit, and tag it: ${tags.join(', ')}`);
      await createSource(ctx, name, releases);
      const listed = (await ctx.git(ctx.path(`${LAYOUT.sources}/${name}`), ['tag', '--list']))
        .split('\n')
        .filter(Boolean);
      check(
        listed.join(' ') === [...tags].sort().join(' '),
        `${name} has tags ${listed.join(' ') || '(none)'}, expected ${tags.join(' ')}`,
      );
      ctx.output(`${name}: ${sourceUrl(ctx, name)}  tags ${listed.join(' ')}`);
    }
    return `strings (v1.0.0, v1.1.0, v2.0.0), colors (v1.0.0), greeter (v1.0.0)`;
  },
};
