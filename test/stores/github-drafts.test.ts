// Releases are complete when they appear: curate creates a package's release as a draft, uploads the
// tarball and its sidecar, then publishes it. Against a loopback GitHub that hides drafts and, with
// immutable releases on, refuses uploads to a published release, as GitHub does.
import { TEST_KEY } from '../helpers/keys.js';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubApiError } from '../../core/errors.js';
import { curate } from '../../curator/curate/curate.js';
import { curateClone } from '../../curator/curate/curate-clone.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import { createFixture } from '../curate/fixture.js';
import { fakeGitHubReleases, type FakeGitHubReleases } from '../helpers/fake-github-releases.js';

const OWNER = 'acme';
const REPO = 'registry';
const TOKEN = 'ghs_drafts';
let github: FakeGitHubReleases | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const store = (fake: FakeGitHubReleases) =>
  createGitHubStore({
    owner: OWNER,
    repo: REPO,
    octokit: createOctokit({ token: TOKEN, baseUrl: fake.url, retryBaseMs: 1, writeIntervalMs: 0, retries: 0 }),
  });

describe('GitHub releases as drafts until complete', () => {
  it('a run killed between the tarball and its sidecar leaves an invisible draft, which the rerun completes and publishes', async () => {
    github = await fakeGitHubReleases(OWNER, REPO, TOKEN);
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');

    const killed = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store(github)],
      faults: (step) => {
        if (step === 'store-write') throw new Error('killed');
      },
    }).catch((e: unknown) => e);
    expect((killed as Error).message).toBe('killed');
    const draft = github.releases.get('alpha')!;
    expect(draft.draft).toBe(true);
    expect([...draft.assets.keys()]).toEqual(['alpha-1.0.0.tar.gz']);
    // Nobody finds it: GitHub answers 404 for a draft's tag.
    expect((await fetch(`${github.url}/repos/${OWNER}/${REPO}/releases/tags/alpha`)).status).toBe(404);

    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store(github)],
    });
    expect(report.published.map((p) => p.name)).toEqual(['alpha']);
    expect([...github.releases.keys()]).toEqual(['alpha']);
    const release = github.releases.get('alpha')!;
    expect(release.draft).toBe(false);
    expect([...release.assets.keys()].sort()).toEqual(['alpha-1.0.0.tar.gz', 'alpha-1.0.0.tar.gz.sha256']);
    expect(github.requests.filter((r) => r === `POST /repos/${OWNER}/${REPO}/releases`)).toHaveLength(1);
  });

  it('with immutable releases on, a new package publishes, and a later version stops with the fix', async () => {
    github = await fakeGitHubReleases(OWNER, REPO, TOKEN);
    github.immutable = true;
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0', '1.1.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');
    const first = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store(github)],
    });
    expect(first.published.map((p) => p.version)).toEqual(['1.0.0']);
    expect(github.releases.get('alpha')!.draft).toBe(false);

    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url));
    await f.registry.commit('Publish alpha 1.1.0');
    const before = await f.indexCommits();
    const stopped = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store(github)],
    }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(GitHubApiError);
    expect((stopped as GitHubApiError).message).toMatch(/release alpha of acme\/registry is immutable/);
    expect((stopped as GitHubApiError).hint).toMatch(/`releases: per-version` in registry.yaml/);
    expect((stopped as GitHubApiError).hint).toMatch(/repository without immutable releases[\s\S]*stores:/);
    // Nothing was refused or lost: the index did not move, and the version is published once the setting changes.
    expect(await f.indexCommits()).toEqual(before);
  });

  it('per-version: with immutable releases on, every version gets its own release, published only once complete', async () => {
    github = await fakeGitHubReleases(OWNER, REPO, TOKEN);
    github.immutable = true;
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0', '1.1.0']);
    await f.registry.write(
      'registry.yaml',
      f.registryYaml(`releases: per-version\nstores: ['github:${OWNER}/${REPO}']`),
    );
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');
    // As `granary curate` runs it: the store and its layout come from registry.yaml.
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GRANARY_SIGNING_KEY: TEST_KEY.privateKeyPem };
    const run = () => curateClone({ repoDir: f.registry.dir, cwd: f.registry.dir, env });
    expect((await run()).published.map((p) => p.version)).toEqual(['1.0.0']);
    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url));
    await f.registry.commit('Publish alpha 1.1.0');
    expect((await run()).published.map((p) => p.version)).toEqual(['1.1.0']);

    expect([...github.releases.keys()]).toEqual(['alpha@1.0.0', 'alpha@1.1.0']);
    for (const [tag, release] of github.releases) {
      expect(release.draft).toBe(false);
      const version = tag.slice('alpha@'.length);
      expect([...release.assets.keys()].sort()).toEqual([`alpha-${version}.tar.gz`, `alpha-${version}.tar.gz.sha256`]);
      // Created as a draft; both uploads; only then published.
      const steps = github.requests.filter((r) => r.includes(`/releases/${release.id}`) || r.endsWith('/releases'));
      const uploads = steps.filter((r) => r === `POST /repos/${OWNER}/${REPO}/releases/${release.id}/assets`);
      expect(uploads).toHaveLength(2);
      const published = steps.indexOf(`PATCH /repos/${OWNER}/${REPO}/releases/${release.id}`);
      expect(published).toBeGreaterThan(steps.lastIndexOf(uploads[0]!));
    }
    // The index names each version's own release, and every asset it names is there.
    const lines = (await f.indexFile('al/ph/alpha'))!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { asset: string });
    expect(lines.map((l) => l.asset)).toEqual(['alpha%401.0.0/alpha-1.0.0.tar.gz', 'alpha%401.1.0/alpha-1.1.0.tar.gz']);
    for (const { asset } of lines) {
      const [tag, file] = asset.split('/') as [string, string];
      const release = github.releases.get(decodeURIComponent(tag))!;
      expect(release.assets.has(file) && release.assets.has(`${file}.sha256`)).toBe(true);
    }
  });

  it('per-version: a run killed between the tarball and its sidecar names nothing in the index; the rerun completes the draft', async () => {
    github = await fakeGitHubReleases(OWNER, REPO, TOKEN);
    github.immutable = true;
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');
    const perVersion = () =>
      createGitHubStore({
        owner: OWNER,
        repo: REPO,
        releases: 'per-version',
        octokit: createOctokit({ token: TOKEN, baseUrl: github!.url, retryBaseMs: 1, writeIntervalMs: 0, retries: 0 }),
      });
    const killed = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [perVersion()],
      faults: (step) => {
        if (step === 'store-write') throw new Error('killed');
      },
    }).catch((e: unknown) => e);
    expect((killed as Error).message).toBe('killed');
    expect(github.releases.get('alpha@1.0.0')!.draft).toBe(true);
    expect(await f.indexCommits()).toEqual([]);

    await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [perVersion()] });
    const release = github.releases.get('alpha@1.0.0')!;
    expect(release.draft).toBe(false);
    expect([...release.assets.keys()].sort()).toEqual(['alpha-1.0.0.tar.gz', 'alpha-1.0.0.tar.gz.sha256']);
    expect(github.requests.filter((r) => r === `POST /repos/${OWNER}/${REPO}/releases`)).toHaveLength(1);
    // Read back by its asset path, and unpublished whole: the release goes, its tag is never reused.
    const store = perVersion();
    expect(await store.get('alpha%401.0.0/alpha-1.0.0.tar.gz')).toEqual(
      release.assets.get('alpha-1.0.0.tar.gz')!.bytes,
    );
    expect(await store.remove('alpha', 'alpha-1.0.0.tar.gz')).toBe(true);
    expect(await store.remove('alpha', 'alpha-1.0.0.tar.gz.sha256')).toBe(false);
    expect(github.releases.has('alpha@1.0.0')).toBe(false);
  });
});
