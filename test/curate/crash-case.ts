import { TEST_KEY } from '../helpers/keys.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseIndexFile } from '../../core/index-line.js';
import { curate } from '../../curator/curate/curate.js';
import type { CurateFault } from '../../curator/curate/types.js';
import { checkIndex } from '../../curator/index/check.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { twoVersions } from './fixture.js';

async function storeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

class Crash extends Error {}

/** Kill a curate run at `step`, rerun it, and check it converged on what a clean run of the same registry makes. */
/** One signing time for every run, so a rerun can make exactly the clean run's index commit. */
const NOW = Date.parse('2030-01-01T00:00:00Z');

export async function crashAndRerun(step: CurateFault): Promise<void> {
  const f = await twoVersions();
  const store = createFsStore(f.storeDir);

  // The same registry curated cleanly, into its own store, for comparison.
  const cleanParent = await tempDir('granary-clean-');
  await gitIn(cleanParent, 'clone', '-q', f.registry.dir, 'registry');
  const clean = { dir: join(cleanParent, 'registry') };
  const cleanStore = join(await tempDir('granary-clean-store-'), 'releases');
  const reference = await curate({
    signingKeyPem: TEST_KEY.privateKeyPem,
    now: NOW,
    repoDir: clean.dir,
    stores: [createFsStore(cleanStore)],
  });

  let fired = 0;
  await expect(
    curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      now: NOW,
      repoDir: f.registry.dir,
      stores: [store],
      faults: (s) => {
        if (s === step && fired++ === 0) throw new Crash(`killed at ${s}`);
      },
    }),
  ).rejects.toBeInstanceOf(Crash);
  expect(await f.indexCommits()).toEqual([]);
  const afterCrash = new Map<string, Buffer>();
  for (const path of await storeFiles(f.storeDir)) afterCrash.set(path, (await f.asset(path))!);
  if (step === 'store-write') expect([...afterCrash.keys()]).toEqual(['alpha/alpha-1.0.0.tar.gz']);

  const rerun = await curate({
    signingKeyPem: TEST_KEY.privateKeyPem,
    now: NOW,
    repoDir: f.registry.dir,
    stores: [store],
  });
  expect(rerun.published.map((p) => p.name)).toEqual(['alpha', 'beta']);
  // Same asset bytes: what the crashed run stored is still there, unchanged, and nothing else is duplicated.
  for (const [path, bytes] of afterCrash) expect((await f.asset(path))!.equals(bytes), path).toBe(true);
  expect(await storeFiles(f.storeDir)).toEqual(await storeFiles(cleanStore));
  for (const path of await storeFiles(cleanStore))
    expect((await f.asset(path))!.equals((await createFsStore(cleanStore).get(path))!), path).toBe(true);
  // A complete index, identical to the clean run's down to the commit id.
  expect(await f.indexCommits()).toEqual([reference.indexCommit]);
  expect(parseIndexFile((await f.indexFile('be/ta/beta'))!, 'beta').map((l) => l.version)).toEqual(['1.0.0']);
  expect((await checkIndex({ repoDir: f.registry.dir, stores: [store] })).differences).toEqual([]);
}
