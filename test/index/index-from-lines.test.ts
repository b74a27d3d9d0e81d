// indexFromLines (what fixtures and benchmarks build indexes with) writes the very bytes curate writes.
import { describe, expect, it } from 'vitest';
import { parseIndexFile } from '../../core/index-line.js';
import { indexPath } from '../../core/index-path.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { curate } from '../../curator/curate/curate.js';
import { parseConfig, parseSnapshot } from '../../curator/index/index-files.js';
import { indexFromLines } from '../../curator/index/index-from-lines.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture } from '../curate/fixture.js';

describe('indexFromLines', () => {
  it('builds, from the lines curate published, the same files curate committed (signature included)', async () => {
    const f = await createFixture();
    const keys = generateKeyPair();
    const alpha = await f.source('alpha', ['1.0.0', '1.1.0']);
    const beta = await f.source('beta', ['2.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${keys.publicKey}`));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    await f.registry.write('packages/beta/2.0.0.yaml', f.definition('beta', '2.0.0', beta));
    await f.registry.commit('Publish alpha 1.0.0 and beta 2.0.0');
    await f.registry.write(
      'packages/alpha/1.1.0.yaml',
      f.definition('alpha', '1.1.0', alpha, 'dependencies:\n  beta: "^2.0.0"'),
    );
    await f.registry.commit('Publish alpha 1.1.0');
    await curate({
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
      signingKeyPem: keys.privateKeyPem,
    });

    const snapshotText = (await f.indexFile('snapshot.json'))!;
    const snapshot = parseSnapshot(snapshotText);
    const config = parseConfig((await f.indexFile('config.json'))!);
    const lines = [
      ...parseIndexFile((await f.indexFile(indexPath('alpha')))!, 'alpha'),
      ...parseIndexFile((await f.indexFile(indexPath('beta')))!, 'beta'),
    ].sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
    const built = indexFromLines({
      name: config.name,
      assetBase: config.assetBase,
      publicKey: config.publicKey,
      lines,
      describe: (line) => ({ description: `The ${line.name} package`, owners: ['alice'] }),
      snapshot,
      signingKey: loadPrivateKey(keys.privateKeyPem),
    });

    expect([...built.files.keys()].sort()).toEqual(
      [...Object.keys(snapshot.files), 'snapshot.json', 'snapshot.json.sig'].sort(),
    );
    for (const [path, bytes] of built.files) expect(bytes.toString('utf8'), path).toBe(await f.indexFile(path));
    expect(built.snapshot).toEqual(snapshot);
  });
});
