// Only the main branch is curated: with a feature branch checked out, `granary curate` publishes what
// is on main and records main's tip, never the work tree's HEAD.
import { signingIo } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { createFixture } from './fixture.js';

describe('granary curate reads main, not HEAD', () => {
  it('publishes only what main holds while a feature branch is checked out', async () => {
    const f = await createFixture();
    const alpha = await f.source('alpha', ['1.0.0']);
    const beta = await f.source('beta', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    const mainTip = await f.registry.commit('Publish alpha');
    await f.registry.git('checkout', '-q', '-b', 'feature');
    await f.registry.write('packages/beta/1.0.0.yaml', f.definition('beta', '1.0.0', beta));
    await f.registry.commit('Unreviewed beta');

    const io = signingIo({ cwd: f.registry.dir });
    const code = await main(['curate', '--repo', f.registry.dir, '--store', `fs:${f.storeDir}`, '--json'], io);
    const report = JSON.parse(io.text());
    expect(code, io.text()).toBe(0);
    expect(report.published.map((p: { name: string }) => p.name)).toEqual(['alpha']);
    expect(report.curatedCommit).toBe(mainTip);
    expect(await f.asset('beta/beta-1.0.0.tar.gz')).toBeUndefined();
    const timestamp = JSON.parse((await f.indexFile('metadata/timestamp.json'))!);
    const snapshot = JSON.parse(
      (await f.indexFile(`metadata/${timestamp.signed.meta['snapshot.json'].version}.snapshot.json`))!,
    );
    expect(snapshot.signed.granary).toMatchObject({ commit: mainTip });
  });

  it('says how to fix a clone without the main branch', async () => {
    const f = await createFixture();
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.commit('settings');
    const io = signingIo({ cwd: f.registry.dir });
    const code = await main(
      ['curate', '--repo', f.registry.dir, '--store', `fs:${f.storeDir}`, '--main-branch', 'trunk'],
      io,
    );
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(/no branch "trunk" to curate[\s\S]*--main-branch/);
  });

  it('curates the branch registry.yaml names as mainBranch, and no other', async () => {
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0']);
    await f.registry.git('checkout', '-q', '-b', 'trunk');
    await f.registry.write('registry.yaml', f.registryYaml(`mainBranch: trunk\nstores: ["fs:${f.storeDir}"]`));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha');
    // A main branch that says it is not the registry's main branch: nothing is curated from it.
    await f.registry.git('branch', '-f', 'main', 'trunk');
    const wrong = signingIo({ cwd: f.registry.dir });
    expect(await main(['curate', '--repo', f.registry.dir], wrong)).toBe(2);
    expect(wrong.err.join('')).toMatch(
      /registry\.yaml on main says the main branch is trunk[\s\S]*--main-branch trunk/,
    );
    expect(await f.indexCommits()).toEqual([]);

    const io = signingIo({ cwd: f.registry.dir });
    expect(await main(['curate', '--repo', f.registry.dir, '--main-branch', 'trunk', '--json'], io), io.text()).toBe(0);
    expect(JSON.parse(io.text()).published.map((p: { name: string }) => p.name)).toEqual(['alpha']);
  });
});
