// A restarted app heals what its events missed: a merge nobody curated is curated, an open pull request
// whose head has no granary/validate result is checked, one that has a result is left alone.
import { join } from 'node:path';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../curator/app/app.js';
import { TEST_KEY } from '../helpers/keys.js';
import type { AppDependencies } from '../../curator/app/dependencies.js';
import { createGitCheckout } from '../../curator/app/registry-checkout.js';
import { curate } from '../../curator/curate/curate.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import { validateChange } from '../../curator/validate/index.js';
import { gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import {
  API,
  OWNER,
  REPO,
  examplePayload,
  exampleObject,
  mockInstallationToken,
  pullRequestObject,
  serveGitObjects,
  testProbot,
} from './support/github.js';
import { captureCheckRuns, DEF, indexFile, noPullRequest, prFiles, reviews } from './support/pr-mocks.js';
import { createRegistry, createSource, definition, REGISTRY_YAML } from './support/registry.js';
import { fakeReleases } from './support/releases-fake.js';
import { recorded } from '../stores/github-fixtures.js';

const INSTALLATION = 4242;
const gitRef = (recorded('git-refs', 0).response as Array<{ object: Record<string, unknown> }>)[0]!;

describe('reconciliation', () => {
  it('curates a missed merge and checks the open pull request that has no check, once', async () => {
    // main: left-pad merged while the app was down; a PR adding right-pad, never checked; another PR already checked.
    const source = await createSource('1.0.0');
    const { registry } = await createRegistry();
    await registry.write(
      DEF,
      definition({ name: 'left-pad', version: '1.0.0', location: `git: file://${source.dir}` }),
    );
    const merge = await registry.commit('Merge pull request #12: left-pad 1.0.0');
    await registry.git('checkout', '-q', '-b', 'right-pad');
    const path = 'packages/right-pad/1.0.0.yaml';
    await registry.write(
      path,
      definition({ name: 'right-pad', version: '1.0.0', location: 'github: codertocat/right-pad' }),
    );
    const prHead = await registry.commit('Add right-pad');
    await registry.git('checkout', '-q', 'main');
    const remote = join(await tempDir('granary-remote-'), 'registry.git');
    await gitIn(registry.dir, 'clone', '-q', '--bare', registry.dir, remote);

    const releases = fakeReleases();
    const deps: AppDependencies = {
      validateChange,
      curate,
      checkout: createGitCheckout({ remoteUrl: () => remote }),
      signingKeyPem: TEST_KEY.privateKeyPem,
      stores: ({ owner, repo, octokit }) => [createGitHubStore({ owner, repo, octokit: octokit as never })],
      now: () => new Date('2024-06-01T00:00:00Z'),
      repositories: new Set([`${OWNER}/${REPO}`.toLowerCase()]),
    };
    const repository = examplePayload('pull_request', 'opened')['repository'];
    Object.assign(repository, { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: 'main', archived: false });
    repository.owner.login = OWNER;
    const openPr = (number: number, head: string) =>
      pullRequestObject({ number, author: 'Codertocat', headSha: head, baseSha: merge });
    const checked = 'b'.repeat(40);
    const bodies: Array<Record<string, any>> = [];
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [merge, prHead]);
    const mocks = [
      nock(API)
        .get('/app/installations')
        .query({ per_page: '100' })
        .reply(200, [
          {
            ...exampleObject('installation', 'installation'),
            id: INSTALLATION,
            // The REST shape: ISO times (webhooks send numbers). GitHub's description types `account` as
            // both a user and an enterprise (allOf), which no real account is; it also allows null.
            account: null,
            app_slug: 'granary-curator',
            suspended_by: null,
            suspended_at: null,
            created_at: '2024-01-01T00:00:00Z',
            updated_at: '2024-01-01T00:00:00Z',
          },
        ]),
      mockInstallationToken(INSTALLATION),
      nock(API)
        .get('/installation/repositories')
        .query({ per_page: '100' })
        .reply(200, { total_count: 1, repositories: [repository] }),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/git/ref/heads%2Fmain`)
        .reply(200, { ...gitRef, object: { ...gitRef.object, sha: merge } }),
      noPullRequest(merge),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/pulls`)
        .query({ state: 'open', per_page: '100' })
        .reply(200, [openPr(7, prHead), openPr(8, checked)]),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/commits/${prHead}/check-runs`)
        .query({ check_name: 'granary/validate', per_page: '1' })
        .reply(200, { total_count: 0, check_runs: [] }),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/commits/${checked}/check-runs`)
        .query({ check_name: 'granary/validate', per_page: '1' })
        .reply(200, { total_count: 1, check_runs: [exampleObject('check_run', 'check_run')] }),
      prFiles(7, { dir: registry.dir, commit: prHead }, path),
      indexFile('right-pad'),
      reviews(7, []),
      captureCheckRuns(bodies),
      captureCheckRuns(bodies),
      // Automerge reads registry.yaml on main, which leaves it off: nothing more is asked or merged.
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/contents/registry.yaml`)
        .query({ ref: 'main' })
        .reply(200, REGISTRY_YAML, { 'content-type': 'application/vnd.github.raw; charset=utf-8' }),
    ];

    const app = createApp(deps);
    await testProbot().load(app);
    const result = await app.reconcile();

    for (const m of mocks) m.done();
    expect(result).toEqual({
      repositories: [`${OWNER}/${REPO}`],
      curated: [{ repository: `${OWNER}/${REPO}`, published: ['left-pad@1.0.0'] }],
      checked: [`${OWNER}/${REPO}#7`],
      merged: [],
      failed: [],
    });
    expect(releases.assets.get('left-pad')?.has('left-pad-1.0.0.tar.gz')).toBe(true);
    expect(await gitIn(remote, 'rev-parse', '--verify', '-q', 'refs/heads/index')).toMatch(/^[0-9a-f]{40}$/);
    expect(bodies.map((b) => [b['name'], b['head_sha'], b['conclusion']])).toEqual([
      ['granary/curate', merge, 'success'],
      ['granary/validate', prHead, 'success'],
    ]);
  });
});
