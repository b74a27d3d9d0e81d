// The app keeps a quiet registry's index valid: every curation pass (the reconcile timer makes one per
// repository) re-signs a timestamp that has used up half its day, and pushes it; a fresh one is left alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curateMerge } from '../../curator/app/curate-repository.js';
import type { AppDependencies } from '../../curator/app/dependencies.js';
import { createGitCheckout } from '../../curator/app/registry-checkout.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { validateChange } from '../../curator/validate/validate-change.js';
import { gitIn } from '../helpers/git.js';
import { TEST_KEY } from '../helpers/keys.js';
import { tempDir } from '../helpers/tmp.js';
import { createFixture } from '../curate/fixture.js';

const HOUR_MS = 3_600_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

async function timestampOf(remote: string): Promise<{ version: number; expires: string }> {
  const text = await gitIn(remote, 'cat-file', 'blob', 'refs/heads/index:metadata/timestamp.json');
  return (JSON.parse(text) as { signed: { version: number; expires: string } }).signed;
}

describe('the app re-signs the timestamp on its passes', () => {
  it('re-signs and pushes a timestamp twenty hours old, and leaves a fresh one alone', async () => {
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha');
    // The index as a run twenty hours ago left it; nothing merged since.
    const stores = [createFsStore(f.storeDir)];
    await curate({
      repoDir: f.registry.dir,
      stores,
      signingKeyPem: TEST_KEY.privateKeyPem,
      now: Date.now() - 20 * HOUR_MS,
    });
    const remote = join(await tempDir('granary-remote-'), 'registry.git');
    await gitIn(f.registry.dir, 'clone', '-q', '--bare', f.registry.dir, remote);
    const before = await timestampOf(remote);
    expect(Date.parse(before.expires) - Date.now()).toBeLessThan(5 * HOUR_MS);

    const deps: AppDependencies = {
      validateChange,
      curate,
      checkout: createGitCheckout({ remoteUrl: () => remote }),
      signingKeyPem: TEST_KEY.privateKeyPem,
      stores: () => stores,
    };
    const github = { auth: async () => ({ token: 'ghs_test' }) };
    const head = await gitIn(f.registry.dir, 'rev-parse', 'HEAD');
    const pass = () =>
      curateMerge(
        github as never,
        { owner: 'o', repo: 'r', commitSha: head, mainBranch: 'main', quiet: true },
        deps,
        new Map(),
        silent as never,
      );

    const report = await pass();
    expect(report?.indexCommit).toBeUndefined();
    const after = await timestampOf(remote);
    expect(after.version).toBe(before.version + 1);
    expect(Date.parse(after.expires) - Date.now()).toBeGreaterThan(23 * HOUR_MS);

    // A second pass finds a fresh timestamp: nothing is signed or pushed.
    const tip = await gitIn(remote, 'rev-parse', 'refs/heads/index');
    await pass();
    expect(await gitIn(remote, 'rev-parse', 'refs/heads/index')).toBe(tip);
  });
});
