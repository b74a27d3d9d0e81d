// A curate killed mid-write leaves `.<asset>.<pid>.<hex>.tmp` in an fs: store; the next write to that
// release removes the stale ones, and nothing that is not such a temporary.
import { readdir, utimes, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { tempDir } from '../helpers/tmp.js';

describe('fs: store debris', () => {
  it('removes stale temporaries of a release on the next write, and keeps fresh ones and other files', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'demo'));
    const stale = '.demo-1.0.0.tar.gz.4242.0123456789ab.tmp';
    const fresh = '.demo-1.0.0.tar.gz.4243.ba9876543210.tmp';
    const other = '.notes.tmp';
    for (const name of [stale, fresh, other]) await writeFile(join(root, 'demo', name), 'partial');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(root, 'demo', stale), old, old);
    await utimes(join(root, 'demo', other), old, old);
    await createFsStore(root).put('demo', 'demo-1.1.0.tar.gz', Buffer.from('tarball'));
    expect((await readdir(join(root, 'demo'))).sort()).toEqual([fresh, other, 'demo-1.1.0.tar.gz'].sort());
  });
});
