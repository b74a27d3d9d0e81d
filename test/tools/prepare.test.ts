// `prepare` in a checkout without its development dependencies: keeps a built dist/, and without one
// says how to get a runnable granary instead of leaving a command that crashes on its first run.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { PROJECT_ROOT } from '../helpers/installed-cli.js';

const run = promisify(execFile);

async function prepareIn(dir: string): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [join(dir, 'tools', 'prepare.mjs')], { cwd: dir });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('prepare without the TypeScript compiler', () => {
  it('refuses with instructions when there is no dist/, and keeps an existing one', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'tools'));
    await copyFile(join(PROJECT_ROOT, 'tools', 'prepare.mjs'), join(dir, 'tools', 'prepare.mjs'));
    await writeFile(join(dir, 'package.json'), '{ "name": "granary", "type": "module" }\n');
    const missing = await prepareIn(dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Run `npm ci` inside the checkout');

    await mkdir(join(dir, 'dist', 'cli'), { recursive: true });
    await writeFile(join(dir, 'dist', 'cli', 'cli.js'), 'export {};\n');
    expect((await prepareIn(dir)).code).toBe(0);
  });
});
