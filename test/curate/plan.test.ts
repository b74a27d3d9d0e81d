// `granary curate --plan`: what a run would send to GitHub and how long it takes at registry.yaml's pace,
// without packing, uploading or committing anything (and without a token).
import { signingIo } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { pacedDuration } from '../../curator/github/pacer.js';
import { createFixture } from './fixture.js';

describe('granary curate --plan', () => {
  it('counts releases, uploads and requests per GitHub store and the paced duration; sends and packs nothing', async () => {
    const f = await createFixture();
    await f.registry.write(
      'registry.yaml',
      f.registryYaml('limits:\n  githubWritesPerMinute: 2\n  githubWritesPerHour: 4'),
    );
    // Sources that do not exist: a plan packs nothing, so it never notices.
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', 'file:///nowhere/alpha'));
    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', 'file:///nowhere/alpha'));
    await f.registry.write('packages/beta/2.0.0.yaml', f.definition('beta', '2.0.0', 'file:///nowhere/beta'));
    await f.registry.commit('three versions');
    const io = signingIo({ cwd: f.registry.dir });
    const code = await main(
      ['curate', '--plan', '--store', 'github:acme/registry', '--store', `fs:${f.storeDir}`, '--json'],
      io,
    );
    expect(code, io.err.join('')).toBe(0);
    const { plan } = JSON.parse(io.text());
    expect(plan).toMatchObject({
      versions: 3,
      newPackages: 2,
      unpublishes: 0,
      releases: 'per-package',
      rates: { perMinute: 2, perHour: 4 },
      files: 6,
      github: [{ store: 'github:acme/registry', releases: 2, uploads: 6, writes: 10 }],
    });
    expect(plan.durationMs).toBe(await pacedDuration(10, { perMinute: 2, perHour: 4 }));
    expect(await f.indexCommits()).toEqual([]);
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz')).toBeUndefined();

    const text = signingIo({ cwd: f.registry.dir });
    await main(['curate', '--plan', '--store', 'github:acme/registry'], text);
    expect(text.text()).toMatch(/10 content-creating request\(s\)[\s\S]*that takes about 2 h/);
  });
});
