// The client's library face (client/index.ts): another tool opens a registry, resolves and installs
// through it alone, with no deep imports.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install, openRegistry, packageInfo, resolve } from '../../client/index.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry } from '../install/fixture-registry.js';

describe('client/index.ts', () => {
  it('opens a signed registry, resolves with dependencies, looks a package up and installs it', async () => {
    const work = await tempDir();
    const fixture = await buildRegistry(join(work, 'registry'), [
      { name: 'lib', version: '1.0.0' },
      { name: 'lib', version: '1.2.0' },
      { name: 'app', version: '2.0.0', dependencies: { lib: '^1.0.0' } },
    ]);
    const registry = await openRegistry(fixture.indexDir, { cwd: work, trustKey: fixture.publicKey });
    const resolution = await resolve(registry, [{ name: 'app', range: '^2.0.0' }]);
    expect([...resolution.packages.values()].map((l) => `${l.name}@${l.version}`).sort()).toEqual([
      'app@2.0.0',
      'lib@1.2.0',
    ]);
    expect((await packageInfo(registry, 'lib')).latest).toBe('1.2.0');

    const report = await install({
      cwd: work,
      specs: ['app'],
      registry: fixture.indexDir,
      trustKey: fixture.publicKey,
      cacheDir: join(work, 'cache'),
    });
    expect(report.packages.map((p) => p.name).sort()).toEqual(['app', 'lib']);
    expect(JSON.parse(await readFile(join(work, 'granary_packages', 'lib', 'granary.json'), 'utf8'))).toMatchObject({
      version: '1.2.0',
    });
  });
});
