// The app's passes keep the download counts (at most once a UTC day, from the releases' download_count) and
// the website beside the index on its branch, pushed with the index; a failure to count holds nothing back.
import nock from 'nock';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagesSitePath } from '../../curator/app/beside-the-index.js';
import { curateMerge } from '../../curator/app/curate-repository.js';
import type { AppDependencies } from '../../curator/app/dependencies.js';
import { createGitCheckout } from '../../curator/app/registry-checkout.js';
import { curate } from '../../curator/curate/curate.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import type { ReleaseStore } from '../../curator/stores/store.js';
import { validateChange } from '../../curator/validate/validate-change.js';
import { gitIn } from '../helpers/git.js';
import { TEST_KEY } from '../helpers/keys.js';
import { tempDir } from '../helpers/tmp.js';
import { createFixture } from '../curate/fixture.js';
import { API, OWNER, REPO } from './support/github.js';
import { fakeReleases } from './support/releases-fake.js';

const DAY = 86_400_000;
const at = (n: number, hours = 0) => Date.parse('2026-11-01T00:23:00Z') + (n - 1) * DAY + hours * 3_600_000;

const octokit = () => createOctokit({ token: 'ghs_test', retryBaseMs: 1, writeIntervalMs: 0 });
const githubStore = (repo = REPO) => createGitHubStore({ owner: OWNER, repo, octokit: octokit() });

/** A registry whose alpha 1.0.0 went to GitHub releases (served by nock), cloned bare as the app's remote. */
async function publishedRegistry() {
  const f = await createFixture();
  const url = await f.source('alpha', ['1.0.0']);
  await f.registry.write('registry.yaml', f.registryYaml());
  await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
  await f.registry.commit('Publish alpha');
  const releases = fakeReleases();
  await curate({ repoDir: f.registry.dir, stores: [githubStore()], signingKeyPem: TEST_KEY.privateKeyPem });
  const remote = join(await tempDir('granary-remote-'), 'registry.git');
  await gitIn(f.registry.dir, 'clone', '-q', '--bare', f.registry.dir, remote);
  return { f, releases, remote, head: await gitIn(f.registry.dir, 'rev-parse', 'HEAD') };
}

function logger() {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, log: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') } };
}

describe('the app keeps the download counts and the website beside the index', () => {
  it('counts once a UTC day and rebuilds the site when the counts change, in the pass’s one push', async () => {
    const { releases, remote, head } = await publishedRegistry();
    releases.downloads.set('alpha/alpha-1.0.0.tar.gz', 12);
    let now = at(1);
    const stores = [githubStore()];
    const deps: AppDependencies = {
      validateChange,
      curate,
      checkout: createGitCheckout({ remoteUrl: () => remote }),
      signingKeyPem: TEST_KEY.privateKeyPem,
      stores: () => stores,
      downloadStats: true,
      site: { cacheDir: await tempDir('granary-site-cache-') },
      now: () => new Date(now),
    };
    const { lines, log } = logger();
    const github = { auth: async () => ({ token: 'ghs_test' }) };
    const pass = () =>
      curateMerge(
        github as never,
        { owner: OWNER, repo: REPO, commitSha: head, mainBranch: 'main', quiet: true },
        deps,
        new Map(),
        log as never,
      );
    const show = (path: string) => gitIn(remote, 'cat-file', 'blob', `refs/heads/index:${path}`);
    const tip = () => gitIn(remote, 'rev-parse', 'refs/heads/index');

    const before = await tip();
    await pass();
    expect(await tip()).not.toBe(before);
    expect(JSON.parse(await show('stats/downloads.json'))).toMatchObject({
      source: 'github-releases',
      updatedAt: new Date(at(1)).toISOString(),
      packages: { alpha: { total: 12, versions: { '1.0.0': 12 }, days: [] } },
    });
    expect(await show('site/package/alpha.html')).toContain('<dt>Downloads</dt><dd>12 in all, 0 in the last 30 days');
    // GitHub Pages serves the index branch: the site is at /<repository>/site/.
    expect(await show('site/404.html')).toContain(`href="/${REPO}/site/`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^info: counted the downloads of granary-test\/registry: 0 new, 12 in all/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^info: built the website of granary-test\/registry/));

    // Later the same day: nothing is counted, built or pushed.
    const first = await tip();
    now = at(1, 5);
    releases.downloads.set('alpha/alpha-1.0.0.tar.gz', 15);
    await pass();
    expect(await tip()).toBe(first);

    // The next day: the growth is dated, the page shows it, one push.
    now = at(2);
    releases.downloads.set('alpha/alpha-1.0.0.tar.gz', 20);
    await pass();
    expect(await gitIn(remote, 'rev-list', '--count', `${first}..refs/heads/index`)).toBe('2');
    expect(JSON.parse(await show('stats/downloads.json')).packages.alpha).toEqual({
      total: 20,
      versions: { '1.0.0': 20 },
      days: [{ date: '2026-11-02', downloads: 8 }],
    });
    const page = await show('site/package/alpha.html');
    expect(page).toContain('20 in all, 8 in the last 30 days');
    expect(page).toContain('aria-label="Downloads of alpha per day from 2026-10-04 to 2026-11-02: 8 in all');
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('pushes the website even when counting fails: the failure is logged and nothing of it committed', async () => {
    const { remote, head } = await publishedRegistry();
    // A second store whose releases GitHub cannot list right now.
    nock(API)
      .persist()
      .get(`/repos/${OWNER}/broken/releases`)
      .query(true)
      .reply(503, { message: 'Service Unavailable' });
    const stores: ReleaseStore[] = [githubStore(), githubStore('broken')];
    const deps: AppDependencies = {
      validateChange,
      curate,
      checkout: createGitCheckout({ remoteUrl: () => remote }),
      signingKeyPem: TEST_KEY.privateKeyPem,
      stores: () => stores,
      downloadStats: true,
      site: { cacheDir: await tempDir('granary-site-cache-') },
      now: () => new Date(at(1)),
    };
    const { lines, log } = logger();
    const report = await curateMerge(
      { auth: async () => ({ token: 'ghs_test' }) } as never,
      { owner: OWNER, repo: REPO, commitSha: head, mainBranch: 'main', quiet: true },
      deps,
      new Map(),
      log as never,
    );
    expect(report).toBeDefined();
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^warn: counting the downloads of granary-test\/registry failed; the next pass tries again: .*503/,
      ),
    );
    expect(await gitIn(remote, 'cat-file', '-t', 'refs/heads/index:site/index.html')).toBe('blob');
    await expect(gitIn(remote, 'cat-file', '-t', 'refs/heads/index:stats/downloads.json')).rejects.toThrow();
  });

  it('serves the site where GitHub Pages serves the branch', () => {
    expect(pagesSitePath('acme', 'registry')).toBe('/registry/site/');
    expect(pagesSitePath('Acme', 'acme.github.io')).toBe('/site/');
  });
});
