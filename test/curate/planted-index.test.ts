// curate never signs an index it cannot verify: a planted snapshot (a huge version, unsigned or signed by
// another key) or an index file changed behind the snapshot's back is refused, and the branch stays put.
import { describe, expect, it } from 'vitest';
import { indexPath } from '../../core/index-path.js';
import { generateKeyPair, loadPrivateKey, signBytes } from '../../core/signing.js';
import { TrustError } from '../../core/errors.js';
import { curate } from '../../curator/curate/curate.js';
import { Git } from '../../curator/git/repository.js';
import { commitIndex } from '../../curator/index/index-branch.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture, type Fixture } from './fixture.js';

async function curatedRegistry(): Promise<{ f: Fixture; key: string; url: string }> {
  const f = await createFixture();
  const keys = generateKeyPair();
  const url = await f.source('alpha', ['1.0.0', '1.1.0']);
  await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${keys.publicKey}`));
  await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
  await f.registry.commit('Publish alpha 1.0.0');
  await curate({ repoDir: f.registry.dir, stores: [createFsStore(f.storeDir)], signingKeyPem: keys.privateKeyPem });
  return { f, key: keys.privateKeyPem, url };
}

/** Commit `files` on the index branch as someone other than the curator would. */
async function plant(f: Fixture, files: Record<string, string>): Promise<string> {
  const git = new Git(f.registry.dir);
  const tip = (await f.indexCommits())[0]!;
  const changes = new Map(Object.entries(files).map(([p, t]) => [p, Buffer.from(t)]));
  return (
    await commitIndex(git, { branch: 'index', parent: tip, changes, message: 'planted', date: '2024-06-01T00:00:00Z' })
  ).commit;
}

async function nextRun(f: Fixture, key: string, url: string): Promise<unknown> {
  await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url));
  await f.registry.commit('Publish alpha 1.1.0');
  return curate({ repoDir: f.registry.dir, stores: [createFsStore(f.storeDir)], signingKeyPem: key }).catch(
    (e: unknown) => e,
  );
}

describe('curate verifies the index it builds on', () => {
  it('refuses a planted snapshot that the registry key did not sign, even one signed by another key', async () => {
    const { f, key, url } = await curatedRegistry();
    const snapshot = JSON.parse((await f.indexFile('snapshot.json'))!);
    const planted = JSON.stringify({ ...snapshot, version: 999_999 });
    const stranger = loadPrivateKey(generateKeyPair().privateKeyPem);
    const tip = await plant(f, {
      'snapshot.json': planted,
      'snapshot.json.sig': signBytes(Buffer.from(planted), stranger),
    });
    const error = await nextRun(f, key, url);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toMatch(/not signed by registry\.yaml's publicKey/);
    expect((error as TrustError).hint).toMatch(/granary index build/);
    expect((await f.indexCommits())[0]).toBe(tip);
  });

  it('refuses an index file changed behind the snapshot when it would carry it forward', async () => {
    const { f, key, url } = await curatedRegistry();
    const path = indexPath('alpha');
    const line = (await f.indexFile(path))!;
    const tip = await plant(f, { [path]: line.replace('"MIT"', '"WTFPL"') });
    const error = await nextRun(f, key, url);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toMatch(
      new RegExp(`${path} on the index branch index does not match its snapshot\\.json`),
    );
    expect((await f.indexCommits())[0]).toBe(tip);
  });

  it('builds on its own signed index as before', async () => {
    const { f, key, url } = await curatedRegistry();
    const report = (await nextRun(f, key, url)) as { published: Array<{ version: string }> };
    expect(report.published.map((p) => p.version)).toEqual(['1.1.0']);
  });
});
