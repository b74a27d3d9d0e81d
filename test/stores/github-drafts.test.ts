// Releases are complete when they appear: curate creates a package's release as a draft, uploads the
// tarball and its sidecar, then publishes it. Against a loopback GitHub that hides drafts and, with
// immutable releases on, refuses uploads to a published release, as GitHub does.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubApiError } from '../../core/errors.js';
import { curate } from '../../curator/curate/curate.js';
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

    const report = await curate({ repoDir: f.registry.dir, stores: [store(github)] });
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
    const first = await curate({ repoDir: f.registry.dir, stores: [store(github)] });
    expect(first.published.map((p) => p.version)).toEqual(['1.0.0']);
    expect(github.releases.get('alpha')!.draft).toBe(false);

    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url));
    await f.registry.commit('Publish alpha 1.1.0');
    const before = await f.indexCommits();
    const stopped = await curate({ repoDir: f.registry.dir, stores: [store(github)] }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(GitHubApiError);
    expect((stopped as GitHubApiError).message).toMatch(/release alpha of acme\/registry is immutable/);
    expect((stopped as GitHubApiError).hint).toMatch(/repository without immutable releases[\s\S]*stores:/);
    // Nothing was refused or lost: the index did not move, and the version is published once the setting changes.
    expect(await f.indexCommits()).toEqual(before);
  });
});
