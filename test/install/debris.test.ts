// A killed install leaves `.granary-staging-*` behind; the next install removes those that are old
// enough to be nobody's, and leaves everything else in the directory alone.
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry } from './fixture-registry.js';

describe('install debris', () => {
  it('removes stale staging directories it made, keeps fresh ones and anything else', async () => {
    const work = await tempDir();
    const registry = await buildRegistry(join(work, 'registry'), [{ name: 'lib', version: '1.0.0' }]);
    const project = join(work, 'project');
    const packages = join(project, 'granary_packages');
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of ['.granary-staging-Ab12Cd', '.granary-staging-fresh1', 'mine', '.granary-staging-notours-x']) {
      await mkdir(join(packages, name, '0'), { recursive: true });
      await writeFile(join(packages, name, '0', 'f'), 'x');
      if (name !== '.granary-staging-fresh1') await utimes(join(packages, name), hourAgo, hourAgo);
    }
    const io = memoryIo({ cwd: project });
    const args = ['install', 'lib', '--registry', registry.indexDir, '--trust-key', registry.publicKey];
    expect(await main([...args, '--cache', join(work, 'cache')], io), io.text()).toBe(0);
    expect((await readdir(packages)).sort()).toEqual(
      ['.granary-staging-fresh1', '.granary-staging-notours-x', '.granary-state.json', 'lib', 'mine'].sort(),
    );
  });
});
