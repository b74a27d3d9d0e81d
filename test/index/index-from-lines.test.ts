// indexFromLines (what fixtures and benchmarks build indexes with) writes the very bytes curate writes.
import { describe, expect, it } from 'vitest';
import { parseIndexFile } from '../../core/index-line.js';
import { indexPath } from '../../core/index-path.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { curate } from '../../curator/curate/curate.js';
import { parseConfig } from '../../curator/index/index-files.js';
import { sha256Hex } from '../../core/hash.js';
import { consistentTargetPath } from '../../core/tuf-layout.js';
import { indexFromLines } from '../../curator/index/index-from-lines.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture } from '../curate/fixture.js';

describe('indexFromLines', () => {
  it('builds, from the lines curate published, the same target files curate committed, under the same root', async () => {
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

    const config = parseConfig((await f.indexFile('config.json'))!);
    const lines = [
      ...parseIndexFile((await f.indexFile(indexPath('alpha')))!, 'alpha'),
      ...parseIndexFile((await f.indexFile(indexPath('beta')))!, 'beta'),
    ].sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
    const built = await indexFromLines({
      name: config.name,
      assetBase: config.assetBase,
      lines,
      describe: (line) => ({ description: `The ${line.name} package`, owners: ['alice'] }),
      commit: 'c'.repeat(40),
      createdAt: '2024-01-01T00:00:00Z',
      signingKey: loadPrivateKey(keys.privateKeyPem),
    });

    // Every target file, byte for byte, at its plain and its hashed name; the same root.
    expect([...built.targets.keys()].sort()).toEqual(['al/ph/alpha', 'be/ta/beta', 'config.json', 'packages.json']);
    for (const [path, bytes] of built.targets) {
      expect(bytes.toString('utf8'), path).toBe(await f.indexFile(path));
      expect(await f.indexFile(consistentTargetPath(path, sha256Hex(bytes))), path).toBe(bytes.toString('utf8'));
    }
    expect(built.files.get('metadata/1.root.json')!.toString()).toBe(await f.indexFile('metadata/1.root.json'));
  });
});
