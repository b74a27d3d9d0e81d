// The layering rule `npm test` runs (.dependency-cruiser.cjs), on a small tree shaped like this one:
// a correct tree passes, and each kind of wrong import fails the check with the rule's name.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/installed-cli.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const DEPCRUISE = join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise');

/** A tree with one module per room; `extra` adds or replaces files. */
async function tree(extra: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir('granary-layering-');
  await copyFile(join(PROJECT_ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true },
    }),
    'package.json': JSON.stringify({ name: 'layering-probe', type: 'module' }),
    'core/names.ts': 'export const name = "core";\n',
    'schema/types.ts': 'export type Line = { name: string };\n',
    'client/install.ts': "import { name } from '../core/names.js';\nexport const install = () => name;\n",
    'client/index.ts': "export { install } from './install.js';\n",
    'client/defaults.ts': "export const DIR = 'packages';\n",
    'curator/curate.ts':
      "import { name } from '../core/names.js';\nimport { install } from '../client/install.js';\nexport const curate = () => name + install();\n",
    'curator/index.ts': "export { curate } from './curate.js';\n",
    // The command line as it is built: its entry and command declarations load the APIs only lazily.
    'cli/cli.ts': "import { register } from './commands/curate.js';\nexport const main = () => register();\n",
    'cli/commands/curate.ts':
      "import type { curate } from '../../curator/index.js';\nimport { DIR } from '../../client/defaults.js';\nexport const register = async (): Promise<ReturnType<typeof curate>> => DIR + (await import('./curate-run.js')).run();\n",
    'cli/commands/curate-run.ts':
      "import { curate } from '../../curator/index.js';\nimport { install } from '../../client/index.js';\nexport const run = () => curate() + install();\n",
    'tools/bench.ts': "import { main } from '../cli/cli.js';\nexport const bench = () => main();\n",
    'test/cli.test.ts': "import { main } from '../cli/cli.js';\nexport const t = () => main();\n",
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function check(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(
      DEPCRUISE,
      ['--config', '.dependency-cruiser.cjs', 'core', 'schema', 'curator', 'client', 'cli', 'tools', 'test'],
      { cwd: dir },
    );
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('the layering rule', () => {
  it('passes a tree whose imports go cli → the APIs of curator and client → core, schema', async () => {
    const result = await check(await tree());
    expect(result.out).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  });

  it.each([
    [
      'client-never-curator',
      { 'client/install.ts': "import { curate } from '../curator/curate.js';\nexport const install = curate;\n" },
    ],
    [
      'core-schema-stand-alone',
      { 'core/names.ts': "import { install } from '../client/install.js';\nexport const name = install;\n" },
    ],
    [
      'curator-not-cli',
      { 'curator/curate.ts': "import { main } from '../cli/cli.js';\nexport const curate = main;\n" },
    ],
    [
      'shipped-not-tools-or-tests',
      { 'cli/cli.ts': "import { bench } from '../tools/bench.js';\nexport const main = bench;\n" },
    ],
    ['tools-not-tests', { 'tools/bench.ts': "import { t } from '../test/cli.test.js';\nexport const bench = t;\n" }],
    [
      'cli-uses-the-api',
      {
        'cli/commands/curate-run.ts':
          "import { curate } from '../../curator/curate.js';\nimport { install } from '../../client/install.js';\nexport const run = () => curate() + install();\n",
      },
    ],
    [
      'cli-start-stays-light',
      {
        'cli/commands/curate.ts':
          "import { curate } from '../../curator/index.js';\nexport const register = async () => curate();\n",
      },
    ],
    [
      'defaults-import-nothing',
      { 'client/defaults.ts': "import { name } from '../core/names.js';\nexport const DIR = name;\n" },
    ],
    [
      'no-cycles',
      {
        'core/names.ts': "import { other } from './other.js';\nexport const name = other;\n",
        'core/other.ts': "import { name } from './names.js';\nexport const other = () => name;\n",
      },
    ],
  ])('fails on a wrong import: %s', async (rule, files) => {
    const result = await check(await tree(files));
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(rule);
  });
});
