// The client's library face (client/index.ts): another tool opens a registry, resolves and installs
// through it alone, with no deep imports. test/package/library.test.ts imports it from the packed package.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GranaryError,
  IntegrityError,
  extractPackage,
  fetchTarball,
  install,
  openRegistry,
  packageInfo,
  readIndex,
  resolve,
} from '../../client/index.js';
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

  it('reads the lines of one package, fetches and verifies its tarball, unpacks it, and refuses changed bytes', async () => {
    const work = await tempDir();
    const fixture = await buildRegistry(join(work, 'registry'), [
      { name: 'lib', version: '1.0.0' },
      { name: 'lib', version: '1.2.0' },
    ]);
    const options = { cwd: work, trustKey: fixture.publicKey, cacheDir: join(work, 'state') };
    const lines = await readIndex(fixture.indexDir, 'lib', options);
    expect(lines.map((l) => l.version)).toEqual(['1.0.0', '1.2.0']);
    expect(await readIndex(fixture.indexDir, 'absent', options)).toEqual([]);

    const registry = await openRegistry(fixture.indexDir, options);
    const line = lines[1]!;
    const fetched = await fetchTarball(registry, line, { cacheDir: join(work, 'cache') });
    expect(fetched).toMatchObject({ fromCache: false });
    expect((await fetchTarball(registry, line, { cacheDir: join(work, 'cache') })).fromCache).toBe(true);
    const stats = await extractPackage(fetched.bytes, join(work, 'vendor', 'lib'), line);
    expect(stats.files).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(work, 'vendor', 'lib', 'granary.json'), 'utf8'))).toMatchObject({
      name: 'lib',
      version: '1.2.0',
    });

    // The asset replaced on the server: the bytes no longer match the signed line.
    await writeFile(join(fixture.assetsDir, line.asset), 'not the published tarball');
    const refused = fetchTarball(registry, line, { cacheDir: join(work, 'other-cache') });
    await expect(refused).rejects.toBeInstanceOf(IntegrityError);
    await expect(refused).rejects.toBeInstanceOf(GranaryError);
  });
});
