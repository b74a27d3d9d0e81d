// curate never signs an index it cannot verify: planted metadata (a huge version signed by another key, a
// root main does not hold) or a target file changed behind its bin is refused, and the branch stays put.
import { describe, expect, it } from 'vitest';
import { indexPath } from '../../core/index-path.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { sha256Hex } from '../../core/hash.js';
import { envelopeBytes, signEnvelope, tufKeyOf } from '../../curator/index/tuf/keys.js';
import { rootSigned } from '../../curator/index/tuf/root.js';
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
  it('refuses planted metadata that the registry key did not sign, and a root that main does not hold', async () => {
    const { f, key, url } = await curatedRegistry();
    const stranger = loadPrivateKey(generateKeyPair().privateKeyPem);
    const timestamp = JSON.parse((await f.indexFile('metadata/timestamp.json'))!);
    const snapshot = JSON.parse((await f.indexFile('metadata/1.snapshot.json'))!);
    const planted = envelopeBytes(signEnvelope({ ...snapshot.signed, version: 999_999 }, [stranger]));
    timestamp.signed.meta['snapshot.json'] = { version: 999_999 };
    const tip = await plant(f, {
      'metadata/999999.snapshot.json': planted.toString(),
      'metadata/timestamp.json': envelopeBytes(signEnvelope(timestamp.signed, [stranger])).toString(),
    });
    const error = await nextRun(f, key, url);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toMatch(/^metadata\/timestamp\.json does not verify/);
    expect((error as TrustError).hint).toMatch(/granary index build/);
    expect((await f.indexCommits())[0]).toBe(tip);

    // A second root, made by the stranger and published on the index branch alone.
    const other = await curatedRegistry();
    const root = rootSigned({
      version: 2,
      expires: '2100-01-01T00:00:00Z',
      rootKeys: [tufKeyOf(stranger)],
      rootThreshold: 1,
      onlineKeys: [tufKeyOf(stranger)],
    });
    const rootTip = await plant(other.f, {
      'metadata/2.root.json': envelopeBytes(signEnvelope(root, [stranger])).toString(),
    });
    const rootError = await nextRun(other.f, other.key, other.url);
    expect(rootError).toBeInstanceOf(TrustError);
    expect((rootError as TrustError).message).toMatch(
      /root version 2 is not signed by enough root keys|publishes a root version 2 that main does not hold/,
    );
    expect((await other.f.indexCommits())[0]).toBe(rootTip);
  });

  it('refuses a target file changed behind its bin, and never carries a changed plain copy forward', async () => {
    const { f, key, url } = await curatedRegistry();
    const path = indexPath('alpha');
    const text = (await f.indexFile(path))!;
    const hashed = `al/ph/${sha256Hex(Buffer.from(text))}.alpha`;
    expect(await f.indexFile(hashed)).toBe(text);
    const tip = await plant(f, { [hashed]: text.replace('"MIT"', '"WTFPL"') });
    const error = await nextRun(f, key, url);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toBe(
      `${hashed} on the index branch index is not the file its bin lists; refusing to build on it`,
    );
    expect((await f.indexCommits())[0]).toBe(tip);

    const second = await curatedRegistry();
    await plant(second.f, { [path]: text.replace('"MIT"', '"WTFPL"') });
    const report = (await nextRun(second.f, second.key, second.url)) as { published: unknown[] };
    expect(report.published).toHaveLength(1);
    expect(await second.f.indexFile(path)).not.toContain('WTFPL');
  });

  it('refuses a bin changed after signing, and one signed by a key its delegation does not name', async () => {
    for (const how of ['edited', 'resigned'] as const) {
      const { f, key, url } = await curatedRegistry();
      const tip = (await f.indexCommits())[0]!;
      const files = (await f.registry.git('ls-tree', '-r', '--name-only', tip)).split('\n');
      const bins = files.filter((p) => /^metadata\/\d+\.bin-/.test(p));
      // The bin that lists alpha's file.
      let target = '';
      for (const p of bins) if ((await f.indexFile(p))!.includes('al/ph/alpha')) target = p;
      expect(target).not.toBe('');
      const envelope = JSON.parse((await f.indexFile(target))!);
      const entry = envelope.signed.targets['al/ph/alpha'];
      entry.hashes.sha256 = '0'.repeat(64);
      const planted =
        how === 'edited'
          ? `${JSON.stringify(envelope)}\n`
          : envelopeBytes(signEnvelope(envelope.signed, [loadPrivateKey(generateKeyPair().privateKeyPem)])).toString();
      const plantedTip = await plant(f, { [target]: planted });
      const error = await nextRun(f, key, url);
      expect(error, how).toBeInstanceOf(TrustError);
      expect((error as TrustError).message).toMatch(
        new RegExp(
          `^${target.replace(/[.]/g, '\\.')} does not verify: signed by 0 of the 1 key\\(s\\) its delegation requires`,
        ),
      );
      expect((await f.indexCommits())[0]).toBe(plantedTip);
    }
  });

  it('builds on its own signed index as before', async () => {
    const { f, key, url } = await curatedRegistry();
    const report = (await nextRun(f, key, url)) as { published: Array<{ version: string }> };
    expect(report.published.map((p) => p.version)).toEqual(['1.1.0']);
  });
});
