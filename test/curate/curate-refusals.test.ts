import { TEST_KEY } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../core/signing.js';
import { parseIndexFile } from '../../core/index-line.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import { curate } from '../../curator/curate/curate.js';
import { checkIndex } from '../../curator/index/check.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture } from './fixture.js';
import { fixedRecords } from '../../curator/curate/merge-gate.js';
import { revisionChanges } from '../../client/site/revisions.js';
import { createRepo } from '../helpers/git.js';
import { BSD_3_CLAUSE_LICENSE } from '../helpers/license-texts.js';
import { pathToFileURL } from 'node:url';

describe('curate: overrides at publication, refusals, signing keys', () => {
  it('bakes an override merged with its definition into revision 1', async () => {
    const f = await createFixture();
    const url = await f.source('gamma', ['2.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write(
      'packages/gamma/2.0.0.yaml',
      f.definition('gamma', '2.0.0', url, 'dependencies:\n  alpha: "^1.0.0"'),
    );
    await f.registry.write(
      'overrides/gamma/2.0.0.yaml',
      'reason: known bad\ndeprecated: use 2.0.1\ndependencies:\n  alpha: "~1.0.0"\n',
    );
    await f.registry.commit('Publish gamma 2.0.0 with an override');
    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
    });
    expect(report.revised).toEqual([]);
    const [line] = parseIndexFile((await f.indexFile('ga/mm/gamma'))!, 'ga/mm/gamma', 'gamma');
    expect(line).toMatchObject({ revision: 1, dependencies: { alpha: '~1.0.0' }, deprecated: 'use 2.0.1' });
    expect(line!.history).toBeUndefined();
  });

  it('refuses a merge the gate refuses, whole, and publishes its good file once it is edited again', async () => {
    const f = await createFixture();
    const url = await f.source('delta', ['1.0.0', '1.1.0']);
    const store = createFsStore(f.storeDir);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/delta/1.0.0.yaml', f.definition('delta', '1.0.0', url));
    await f.registry.commit('Publish delta 1.0.0');
    await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    const published = await f.indexFile('de/lt/delta');

    await f.registry.write(
      'packages/delta/1.0.0.yaml',
      f.definition('delta', '1.0.0', url, 'homepage: https://example.test'),
    );
    await f.registry.write('packages/delta/1.2.0.yaml', f.definition('delta', '1.2.0', url));
    await f.registry.write('packages/epsilon/1.0.0.yaml', 'name: epsilon\nversion: "1.0.0"\n');
    await f.registry.write('packages/delta/1.1.0.yaml', f.definition('delta', '1.1.0', url));
    await f.registry.commit('A bad merge');
    const report = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    expect(report.published).toEqual([]);
    expect(report.refused.map((r) => r.file).sort()).toEqual([
      'packages/delta/1.0.0.yaml',
      'packages/delta/1.1.0.yaml',
      'packages/delta/1.2.0.yaml',
      'packages/epsilon/1.0.0.yaml',
    ]);
    const message = (file: string) => report.refused.find((r) => r.file === file)!.message;
    expect(message('packages/delta/1.0.0.yaml')).toMatch(/never edited.*\[published-immutable\]/);
    expect(message('packages/epsilon/1.0.0.yaml')).toMatch(/\[schema\]/);
    expect(message('packages/delta/1.1.0.yaml')).toMatch(/refused with the rest of its merge/);
    expect(report.indexCommit).toBeDefined();
    expect(await f.indexFile('de/lt/delta')).toBe(published);
    expect(await f.asset('delta/delta-1.1.0.tar.gz')).toBeUndefined();
    expect(await f.asset('delta/delta-1.2.0.tar.gz')).toBeUndefined();

    // The good version of the refused merge is not used up: editing its file is adding it again, for the
    // PR gate (which reads the local index branch) and at merge time; a published one stays immutable.
    await f.registry.git('checkout', '-q', '-b', 'fix');
    await f.registry.write('packages/delta/1.1.0.yaml', f.definition('delta', '1.1.0', url, 'keywords: [text]'));
    const fix = await f.registry.commit('Publish delta 1.1.0 again');
    const gate = await validateRepo({ repo: f.registry.dir, base: 'main', head: fix, author: 'alice', offline: true });
    expect(gate.problems).toEqual([]);
    expect(gate.operations).toEqual([expect.objectContaining({ kind: 'new-version', version: '1.1.0' })]);
    await f.registry.write('packages/delta/1.0.0.yaml', f.definition('delta', '1.0.0', url, 'keywords: [text]'));
    const edit = await f.registry.commit('Edit delta 1.0.0');
    const refused = await validateRepo({ repo: f.registry.dir, base: fix, head: edit, author: 'alice', offline: true });
    expect(refused.problems.map((p) => p.rule)).toEqual(['published-immutable']);
    await f.registry.git('checkout', '-q', 'main');
    await f.registry.git('merge', '-q', '--ff-only', fix);
    const again = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    expect(again.refused).toEqual([]);
    expect(again.published.map((p) => `${p.name}@${p.version}`)).toEqual(['delta@1.1.0']);
    const lines = parseIndexFile((await f.indexFile('de/lt/delta'))!, 'de/lt/delta', 'delta');
    expect(lines.map((l) => l.version)).toEqual(['1.0.0', '1.1.0']);
    expect((await f.indexFile('de/lt/delta'))!.startsWith(published!.trim())).toBe(true);
    const check = await checkIndex({ repoDir: f.registry.dir });
    expect(check.differences).toEqual([]);
  });

  it('refuses a signing key that registry.yaml does not name, and an unsigned run when it names one', async () => {
    const f = await createFixture();
    const named = generateKeyPair();
    const other = generateKeyPair();
    await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${named.publicKey}`));
    await f.registry.commit('Set up');
    const stores = [createFsStore(f.storeDir)];
    await expect(curate({ repoDir: f.registry.dir, stores, signingKeyPem: other.privateKeyPem })).rejects.toMatchObject(
      { code: 'trust', hint: expect.stringContaining('granary root init') },
    );
    await expect(curate({ repoDir: f.registry.dir, stores })).rejects.toMatchObject({
      code: 'usage',
      message: 'curate signs the index, but no signing key was given',
    });
    expect(await f.indexCommits()).toEqual([]);
  });
});

describe('curate --dry-run', () => {
  it('packs and reports but uploads and commits nothing', async () => {
    const f = await createFixture();
    const url = await f.source('omega', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/omega/1.0.0.yaml', f.definition('omega', '1.0.0', url));
    await f.registry.commit('Publish omega');
    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
      dryRun: true,
    });
    expect(report.published).toEqual([
      expect.objectContaining({ name: 'omega', version: '1.0.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(report.indexCommit).toBeUndefined();
    expect(report.snapshotVersion).toBe(1);
    expect(await f.indexCommits()).toEqual([]);
    expect(await f.asset('omega/omega-1.0.0.tar.gz')).toBeUndefined();
  });

  it('refuses at merge time a license its LICENSE file contradicts, storing nothing; the nearest definition publishes', async () => {
    const f = await createFixture();
    const source = await createRepo();
    await source.write('src/index.js', 'export {};\n');
    await source.write('LICENSE', BSD_3_CLAUSE_LICENSE);
    await source.commit('release 1.0.0');
    await source.tag('v1.0.0');
    const url = pathToFileURL(source.dir).href;
    const store = createFsStore(f.storeDir);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/zeta/1.0.0.yaml', f.definition('zeta', '1.0.0', url));
    const merged = await f.registry.commit('Merged past the gate: zeta 1.0.0 says MIT');
    const report = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    expect(report.published).toEqual([]);
    expect(report.refused).toEqual([
      expect.objectContaining({
        commit: merged,
        file: 'packages/zeta/1.0.0.yaml',
        message: expect.stringMatching(/LICENSE at v1\.0\.0 reads as BSD-3-Clause .*\[license-mismatch\]/),
      }),
    ]);
    expect(await f.asset('zeta/zeta-1.0.0.tar.gz')).toBeUndefined();

    await f.registry.write(
      'packages/zeta/1.0.0.yaml',
      f.definition('zeta', '1.0.0', url).replace('license: MIT', 'license: BSD-3-Clause'),
    );
    await f.registry.commit('zeta 1.0.0 under the license its file grants');
    const fixed = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    expect(fixed.published.map((p) => `${p.name}@${p.version}`)).toEqual(['zeta@1.0.0']);
  });

  it('records who opened and approved the pull request that revised a version, for the history and the website', async () => {
    const f = await createFixture();
    const url = await f.source('gamma', ['2.0.0']);
    const alpha = await f.source('alpha', ['1.0.0']);
    const store = createFsStore(f.storeDir);
    await f.registry.write('registry.yaml', f.registryYaml('trustees: [tina]'));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    await f.registry.write(
      'packages/gamma/2.0.0.yaml',
      f.definition('gamma', '2.0.0', url, 'dependencies:\n  alpha: "^1.0.0"'),
    );
    await f.registry.commit('Publish gamma 2.0.0');
    await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    await f.registry.write(
      'overrides/gamma/2.0.0.yaml',
      'reason: alpha 1.1 breaks it\ndependencies:\n  alpha: "~1.0.0"\n',
    );
    await f.registry.commit('Narrow gamma 2.0.0');
    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store],
      pullRequests: fixedRecords({ author: 'alice', approvers: ['tina', 'bob'], trusteeApproved: true }),
    });
    expect(report.revised, JSON.stringify(report.refused)).toEqual([{ name: 'gamma', version: '2.0.0', revision: 2 }]);
    const [line] = parseIndexFile((await f.indexFile('ga/mm/gamma'))!, 'ga/mm/gamma', 'gamma');
    expect(line!.history).toEqual([
      expect.objectContaining({ revision: 1, by: 'alice', approvedBy: ['bob', 'tina'], reason: 'alpha 1.1 breaks it' }),
    ]);
    expect(revisionChanges(line!)).toEqual([
      expect.objectContaining({
        revision: 2,
        by: 'alice',
        approvedBy: ['bob', 'tina'],
        dependencies: [{ name: 'alpha', from: '^1.0.0', to: '~1.0.0' }],
      }),
    ]);
  });
});
