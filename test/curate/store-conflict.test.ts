import { TEST_KEY } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { AssetConflictError, ConcurrencyError } from '../../core/errors.js';
import { curate } from '../../curator/curate/curate.js';
import { packVersion } from '../../curator/pack/pack.js';
import type { PackFunction } from '../../curator/pack/types.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { gitIn } from '../helpers/git.js';
import { twoVersions } from './fixture.js';

describe('never overwrite, never race', () => {
  it('refuses a different pre-existing asset and leaves the file as it was', async () => {
    const f = await twoVersions();
    const store = createFsStore(f.storeDir);
    const squatter = Buffer.from('not the tarball');
    await store.put('alpha', 'alpha-1.0.0.tar.gz', squatter);
    const report = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    expect(report.refused).toEqual([
      expect.objectContaining({
        file: 'packages/alpha/1.0.0.yaml',
        message: expect.stringContaining('already exists with different bytes'),
      }),
    ]);
    expect((await f.asset('alpha/alpha-1.0.0.tar.gz'))!.equals(squatter)).toBe(true);
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz.sha256')).toBeUndefined();
    expect(report.published.map((p) => p.name)).toEqual(['beta']);
    expect(await f.indexFile('al/ph/alpha')).toBeUndefined();
    expect(new AssetConflictError('x').code).toBe('asset-conflict');
  });

  it('lets exactly one of two concurrent runs commit the index', async () => {
    const f = await twoVersions();
    const store = createFsStore(f.storeDir);
    // Both runs pack everything before either may commit, so they race on the branch itself.
    let arrived = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const packs = { count: 0 };
    const pack: PackFunction = async (definition, options) => {
      const result = await packVersion(definition, options);
      packs.count++;
      if (definition.name === 'beta' && ++arrived === 2) release();
      if (definition.name === 'beta') await gate;
      return result;
    };
    const results = await Promise.allSettled([
      curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store], pack }),
      curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store], pack }),
    ]);
    expect(packs.count).toBe(4);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect((lost[0] as PromiseRejectedResult).reason.hint).toMatch(/run curate again/);
    const commits = await f.indexCommits();
    expect(commits).toEqual([(won[0] as PromiseFulfilledResult<{ indexCommit: string }>).value.indexCommit]);
    // The loser's rerun finds nothing new.
    const again = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    expect(again.indexCommit).toBeUndefined();
    expect(await gitIn(f.registry.dir, 'rev-list', '--count', 'refs/heads/index')).toBe('1');
  });
});
