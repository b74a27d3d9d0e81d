import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../core/signing.js';
import { parseIndexFile } from '../../core/index-line.js';
import { curate } from '../../curator/curate/curate.js';
import { checkIndex } from '../../curator/index/check.js';
import { parsePackages } from '../../curator/index/index-files.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture } from './fixture.js';

describe('curate on a real registry repository and an fs: store', () => {
  it('publishes, publishes a dependent version, revises by override, unpublishes; nothing new makes no commit', async () => {
    const f = await createFixture();
    const keys = generateKeyPair();
    const alphaUrl = await f.source('alpha', ['1.0.0']);
    const betaUrl = await f.source('beta', ['1.0.0']);
    const store = createFsStore(f.storeDir);
    const run = () => curate({ repoDir: f.registry.dir, stores: [store], signingKeyPem: keys.privateKeyPem });

    // 1. one version
    await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${keys.publicKey}`));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alphaUrl));
    const c1 = await f.registry.commit('Publish alpha 1.0.0');
    const r1 = await run();
    expect(r1.published.map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@1.0.0']);
    expect(r1.refused).toEqual([]);
    expect(r1.snapshotVersion).toBe(1);
    expect(r1.curatedCommit).toBe(c1);
    const tarball = await f.asset('alpha/alpha-1.0.0.tar.gz');
    expect(tarball).toBeDefined();
    expect((await f.asset('alpha/alpha-1.0.0.tar.gz.sha256'))!.toString()).toBe(
      `${r1.published[0]!.sha256}  alpha-1.0.0.tar.gz\n`,
    );
    const [alpha1] = parseIndexFile((await f.indexFile('al/ph/alpha'))!, 'al/ph/alpha', 'alpha');
    expect(alpha1).toMatchObject({
      name: 'alpha',
      version: '1.0.0',
      revision: 1,
      asset: 'alpha/alpha-1.0.0.tar.gz',
      ref: 'v1.0.0',
      dependencies: {},
      sha256: r1.published[0]!.sha256,
    });
    expect(alpha1!.publishedAt).toBe(
      new Date(Number(await f.registry.git('log', '-1', '--format=%ct', c1)) * 1000).toISOString(),
    );
    const config = JSON.parse((await f.indexFile('config.json'))!);
    expect(config).toEqual({ format: 2, name: 'test-registry', assetBase: store.assetBase });

    // 2. a second package depending on the first
    await f.registry.write(
      'packages/beta/1.0.0.yaml',
      f.definition('beta', '1.0.0', betaUrl, 'dependencies:\n  alpha: "^1.0.0"'),
    );
    await f.registry.commit('Publish beta 1.0.0');
    const r2 = await run();
    expect(r2.published.map((p) => p.name)).toEqual(['beta']);
    expect(r2.snapshotVersion).toBe(2);
    // only the touched files are written: beta's file and packages.json (each at its plain and its hashed
    // name), the bins listing them, a new snapshot and timestamp, and the list of replaced files
    const [second, first] = await f.indexCommits();
    const changed = (await f.registry.git('diff', '--name-only', first!, second!)).split('\n').filter(Boolean);
    const kinds = changed.map((p) =>
      p.replace(/[0-9a-f]{64}/, 'H').replace(/^metadata\/\d+\.bin-[0-9a-f]+\.json$/, 'metadata/N.bin.json'),
    );
    expect([...new Set(kinds)].sort()).toEqual([
      'H.packages.json',
      'be/ta/H.beta',
      'be/ta/beta',
      'metadata/2.snapshot.json',
      'metadata/N.bin.json',
      'metadata/timestamp.json',
      'packages.json',
      'retired.txt',
    ]);
    expect(kinds.filter((k) => k === 'metadata/N.bin.json').length).toBeLessThanOrEqual(2);
    const [beta1] = parseIndexFile((await f.indexFile('be/ta/beta'))!, 'be/ta/beta', 'beta');
    expect(beta1).toMatchObject({ revision: 1, dependencies: { alpha: '^1.0.0' } });
    const betaTarball = await f.asset('beta/beta-1.0.0.tar.gz');

    // 3. an override changes bounds: revision 2, tarball untouched
    await f.registry.write(
      'overrides/beta/1.0.0.yaml',
      'reason: alpha 1.5 broke beta\ndependencies:\n  alpha: ">=1.0.0 <1.5.0"\n',
    );
    await f.registry.commit('Fix beta bounds');
    const r3 = await run();
    expect(r3.revised).toEqual([{ name: 'beta', version: '1.0.0', revision: 2 }]);
    expect(r3.published).toEqual([]);
    const [beta2] = parseIndexFile((await f.indexFile('be/ta/beta'))!, 'be/ta/beta', 'beta');
    expect(beta2).toMatchObject({
      revision: 2,
      dependencies: { alpha: '>=1.0.0 <1.5.0' },
      sha256: beta1!.sha256,
      publishedAt: beta1!.publishedAt,
    });
    expect(beta2!.history).toEqual([
      { revision: 1, dependencies: { alpha: '^1.0.0' }, reason: 'alpha 1.5 broke beta', at: expect.any(String) },
    ]);
    expect((await f.asset('beta/beta-1.0.0.tar.gz'))!.equals(betaTarball!)).toBe(true);

    // 4. unpublish: assets removed, line kept and marked
    await f.registry.git('rm', '-q', 'packages/alpha/1.0.0.yaml');
    await f.registry.commit('Unpublish alpha 1.0.0: leaked a secret');
    const r4 = await run();
    expect(r4.unpublished).toEqual([{ name: 'alpha', version: '1.0.0' }]);
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz')).toBeUndefined();
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz.sha256')).toBeUndefined();
    const [alphaGone] = parseIndexFile((await f.indexFile('al/ph/alpha'))!, 'al/ph/alpha', 'alpha');
    expect(alphaGone!.unpublished).toEqual({
      at: expect.any(String),
      reason: 'Unpublish alpha 1.0.0: leaked a secret',
    });
    const summaries = parsePackages((await f.indexFile('packages.json'))!).packages;
    expect(summaries.find((s) => s.name === 'alpha')).toMatchObject({ latest: null, versions: 0 });
    expect(summaries.find((s) => s.name === 'beta')).toMatchObject({
      latest: '1.0.0',
      versions: 1,
      owners: ['alice'],
      description: 'The beta package',
    });

    // 5. nothing new: no commit
    const before = await f.indexCommits();
    const r5 = await run();
    expect(r5.indexCommit).toBeUndefined();
    expect(await f.indexCommits()).toEqual(before);
    expect(before).toHaveLength(4);

    // the timestamp names snapshot 4, and the whole branch matches a rebuild
    const timestamp = JSON.parse((await f.indexFile('metadata/timestamp.json'))!) as {
      signed: { meta: Record<string, { version: number }> };
    };
    expect(timestamp.signed.meta['snapshot.json']!.version).toBe(4);
    const check = await checkIndex({ repoDir: f.registry.dir, stores: [store] });
    expect(check.differences).toEqual([]);

    // 6. an unpublished version number is never reused
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alphaUrl));
    await f.registry.commit('Publish alpha 1.0.0 again');
    const r6 = await run();
    expect(r6.published).toEqual([]);
    expect(r6.refused).toEqual([
      expect.objectContaining({ file: 'packages/alpha/1.0.0.yaml', message: expect.stringContaining('never reused') }),
    ]);
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz')).toBeUndefined();
  });
});
