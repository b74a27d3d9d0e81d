// Resolution as of a snapshot: a git clone keeps every generation of the index in the branch's history,
// and `--snapshot N` (or a date) resolves against one of them, checked like a refresh but for expiry.
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { DAY_MS } from '../../curator/index/tuf/repository.js';
import { createFixture } from '../curate/fixture.js';
import { TEST_KEY } from '../helpers/keys.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleIndex, writeIndex } from './build-index.js';

async function resolveAlpha(registry: string, extra: string[] = []) {
  const io = memoryIo({ cwd: await tempDir() });
  const code = await main(
    ['resolve', 'alpha', '--registry', registry, '--trust-key', TEST_KEY.publicKey, '--json', ...extra],
    io,
  );
  return { code, json: JSON.parse(io.text()) as Record<string, any> };
}

describe('--snapshot', () => {
  it('resolves against an older generation of a git clone, by version or by date, even long expired', async () => {
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0', '1.1.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');
    const stores = [createFsStore(f.storeDir)];
    // Generation 1, signed ten days ago: its timestamp expired long since.
    await curate({
      repoDir: f.registry.dir,
      stores,
      signingKeyPem: TEST_KEY.privateKeyPem,
      now: Date.now() - 10 * DAY_MS,
    });
    const firstDay = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);
    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url));
    await f.registry.commit('Publish alpha 1.1.0');
    await curate({ repoDir: f.registry.dir, stores, signingKeyPem: TEST_KEY.privateKeyPem });

    const now = await resolveAlpha(f.registry.dir);
    expect(now.code, JSON.stringify(now.json)).toBe(0);
    expect(now.json).toMatchObject({ snapshot: 2, packages: [expect.objectContaining({ version: '1.1.0' })] });

    const old = await resolveAlpha(f.registry.dir, ['--snapshot', '1']);
    expect(old.code, JSON.stringify(old.json)).toBe(0);
    expect(old.json).toMatchObject({ snapshot: 1, packages: [expect.objectContaining({ version: '1.0.0' })] });

    // By date: the newest generation that curated main up to that day (both commits are today's).
    const byDate = await resolveAlpha(f.registry.dir, ['--snapshot', firstDay]);
    expect(byDate.json).toMatchObject({ snapshot: 2 });
    const before = await resolveAlpha(f.registry.dir, ['--snapshot', '2000-01-01']);
    expect(before.code).toBe(2);
    expect(before.json.message).toBe('the index branch holds no snapshot curated on or before 2000-01-01');

    const missing = await resolveAlpha(f.registry.dir, ['--snapshot', '7']);
    expect(missing.code).toBe(2);
    expect(missing.json.message).toBe('the index branch holds no snapshot version 7');
    // A directory (or a URL) holds one generation only.
    const dir = await tempDir();
    await writeIndex((await sampleIndex({ key: TEST_KEY })).files, dir);
    const notAClone = await resolveAlpha(dir, ['--snapshot', '1']);
    expect(notAClone.code).toBe(2);
    expect(notAClone.json.message).toMatch(/^--snapshot reads older generations from the history of the index branch/);
  });
});
