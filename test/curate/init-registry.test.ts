import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../curator/init/create-registry.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture } from './fixture.js';
import { gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

describe('curate on a registry made by granary init', () => {
  it('publishes without refusing the placeholders init writes', async () => {
    const f = await createFixture();
    const dir = join(await tempDir(), 'registry');
    await createRegistry(dir, { name: 'fresh', local: true });
    const url = await f.source('alpha', ['1.0.0']);
    await mkdir(join(dir, 'packages/alpha'), { recursive: true });
    await writeFile(join(dir, 'packages/alpha/1.0.0.yaml'), f.definition('alpha', '1.0.0', url));
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-qm', 'Publish alpha');

    const report = await curate({ repoDir: dir, stores: [createFsStore(join(dir, 'releases'))] });
    expect(report.refused).toEqual([]);
    expect(report.published.map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@1.0.0']);
  });
});
