// registry.yaml `sidecars: false`: one upload per version instead of two; the index stays authoritative and
// `index check --store` checks the tarballs themselves against it.
import { signingIo } from '../helpers/keys.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { createFixture } from './fixture.js';

describe('registry.yaml sidecars: false', () => {
  it('publishes tarballs alone, plans half the uploads, and index check verifies the tarballs', async () => {
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml(`sidecars: false\nstores: ["fs:${f.storeDir}"]`));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');

    const plan = signingIo({ cwd: f.registry.dir });
    expect(await main(['curate', '--plan', '--store', 'github:acme/registry', '--json'], plan)).toBe(0);
    expect(JSON.parse(plan.text()).plan.github[0]).toMatchObject({ uploads: 1, releases: 1, writes: 3 });

    expect(await main(['curate'], signingIo({ cwd: f.registry.dir }))).toBe(0);
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz')).toBeDefined();
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz.sha256')).toBeUndefined();
    const check = signingIo({ cwd: f.registry.dir });
    expect(await main(['index', 'check', '--store', `fs:${f.storeDir}`], check), check.text()).toBe(0);

    // A tarball changed in the store is found by its hash, sidecar or not.
    await writeFile(join(f.storeDir, 'alpha', 'alpha-1.0.0.tar.gz'), 'not the tarball');
    const tampered = signingIo({ cwd: f.registry.dir });
    expect(await main(['index', 'check', '--store', `fs:${f.storeDir}`], tampered)).toBe(1);
    expect(tampered.text()).toMatch(/alpha-1\.0\.0\.tar\.gz.*but the index records/);
  });
});
