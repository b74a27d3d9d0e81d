// A first publication that respects GitHub: content-creating requests are paced (fake time), and a run
// killed halfway resumes where it stopped with nothing uploaded twice. Against a loopback GitHub.
import { TEST_KEY } from '../helpers/keys.js';
import { afterEach, describe, expect, it } from 'vitest';
import { curate } from '../../curator/curate/curate.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { createPacer, pacedDuration } from '../../curator/github/pacer.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import { createFixture } from '../curate/fixture.js';
import { fakeGitHubReleases, type FakeGitHubReleases } from '../helpers/fake-github-releases.js';

const OWNER = 'acme';
const REPO = 'registry';
const TOKEN = 'ghs_pacing';
let github: FakeGitHubReleases | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('paced content-creating requests', () => {
  it('never sends more than the minute and hour allow, and waits exactly as long as needed', async () => {
    let clock = 0;
    const sent: number[] = [];
    const pacer = createPacer({
      perMinute: 3,
      perHour: 5,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    for (let i = 0; i < 12; i++) {
      await pacer.take();
      sent.push(clock);
    }
    for (const t of sent) {
      expect(sent.filter((s) => s > t - MINUTE && s <= t).length).toBeLessThanOrEqual(3);
      expect(sent.filter((s) => s > t - HOUR && s <= t).length).toBeLessThanOrEqual(5);
    }
    // 3 at once, 2 a minute later, then the hour holds: 5 more an hour on, in the same rhythm.
    expect(sent.slice(0, 6)).toEqual([0, 0, 0, MINUTE, MINUTE, HOUR]);
    expect(await pacedDuration(12, { perMinute: 3, perHour: 5 })).toBe(clock);
  });

  it('paces a curate run, and a run killed halfway resumes with no asset uploaded twice', async () => {
    github = await fakeGitHubReleases(OWNER, REPO, TOKEN);
    const f = await createFixture();
    const alpha = await f.source('alpha', ['1.0.0', '1.1.0']);
    const beta = await f.source('beta', ['2.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', alpha));
    await f.registry.write('packages/beta/2.0.0.yaml', f.definition('beta', '2.0.0', beta));
    await f.registry.commit('three versions');

    let clock = 0;
    const writes: number[] = [];
    const pacer = createPacer({
      perMinute: 2,
      perHour: 4,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const store = () =>
      createGitHubStore({
        owner: OWNER,
        repo: REPO,
        octokit: createOctokit({ token: TOKEN, baseUrl: github!.url, retryBaseMs: 1, writeIntervalMs: 0, retries: 0 }),
        pacer: {
          take: async () => {
            await pacer.take();
            writes.push(clock);
          },
        },
      });

    // Killed once the second version's tarball is in (its sidecar not yet).
    let tarballs = 0;
    const killed = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store()],
      faults: (step) => {
        if (step === 'store-write' && ++tarballs === 2) throw new Error('killed');
      },
    }).catch((e: unknown) => e);
    expect((killed as Error).message).toBe('killed');
    expect(await f.indexCommits()).toEqual([]);

    const report = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store()] });
    expect(report.published.map((p) => `${p.name}@${p.version}`).sort()).toEqual([
      'alpha@1.0.0',
      'alpha@1.1.0',
      'beta@2.0.0',
    ]);

    // Every asset was uploaded exactly once across both runs.
    const uploads = github.requests.filter((r) => /^POST .*\/releases\/\d+\/assets$/.test(r));
    const assets = [...github.releases.values()].flatMap((r) => [...r.assets.keys()]);
    expect(assets.sort()).toEqual([
      'alpha-1.0.0.tar.gz',
      'alpha-1.0.0.tar.gz.sha256',
      'alpha-1.1.0.tar.gz',
      'alpha-1.1.0.tar.gz.sha256',
      'beta-2.0.0.tar.gz',
      'beta-2.0.0.tar.gz.sha256',
    ]);
    expect(uploads).toHaveLength(assets.length);
    // The tarball already there was compared by GitHub's digest of it, not downloaded again.
    expect(github.requests.filter((r) => /^GET .*\/releases\/assets\/\d+$/.test(r))).toEqual([]);
    // Releases: 2 created, 2 published; uploads: 6. Ten writes at 2 a minute and 4 an hour.
    expect(writes).toHaveLength(10);
    const times = writes;
    for (const t of times) {
      expect(times.filter((s) => s > t - MINUTE && s <= t).length).toBeLessThanOrEqual(2);
      expect(times.filter((s) => s > t - HOUR && s <= t).length).toBeLessThanOrEqual(4);
    }
    expect(clock).toBe(await pacedDuration(10, { perMinute: 2, perHour: 4 }));
    expect(clock).toBeGreaterThanOrEqual(2 * HOUR);
  });
});
