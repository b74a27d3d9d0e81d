// The gate runs again at merge time against the true base. Two pull requests checked against the same
// base, each passing on its own: alice adds foo@1.0.0 (owners [alice]), mallory adds foo@2.0.0 (owners
// [mallory]). Both merge cleanly; curate publishes alice's and refuses mallory's, naming the owners,
// whether the pull requests are looked up on GitHub (nock, GitHub's own pull request shape) or unknown.
import { signingIo, TEST_KEY } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { curate } from '../../curator/curate/curate.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { githubPullRequests } from '../../curator/github/merged-pull-request.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import { OWNER, REPO } from '../app/support/github.js';
import { mergedPullRequest, noPullRequest, reviews } from '../app/support/pr-mocks.js';
import { gitIn } from '../helpers/git.js';
import { createFixture, type Fixture } from './fixture.js';

const FOO_1 = 'packages/foo/1.0.0.yaml';
const FOO_2 = 'packages/foo/2.0.0.yaml';

/** Two PR branches from the same base, each passing the gate there; then both merged with merge commits. */
async function race(f: Fixture) {
  const url = await f.source('foo', ['1.0.0', '2.0.0']);
  // Either PR may be foo's first version.
  await f.registry.write('registry.yaml', f.registryYaml('versions:\n  firstVersions: ["1.0.0", "2.0.0"]'));
  await f.registry.commit('settings');
  const base = await f.registry.head();
  const branch = async (name: string, path: string, text: string) => {
    await gitIn(f.registry.dir, 'checkout', '-q', '-b', name, base);
    await f.registry.write(path, text);
    const head = await f.registry.commit(`Add ${path}`);
    await gitIn(f.registry.dir, 'checkout', '-q', 'main');
    return head;
  };
  const alice = await branch('alice', FOO_1, f.definition('foo', '1.0.0', url));
  const mallory = await branch('mallory', FOO_2, f.definition('foo', '2.0.0', url).replace('[alice]', '[mallory]'));
  // Each passed against the base it was checked on.
  for (const [head, author] of [
    [alice, 'alice'],
    [mallory, 'mallory'],
  ] as const) {
    const report = await validateRepo({ repo: f.registry.dir, base, head, author, offline: true });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  }
  await gitIn(f.registry.dir, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #1 from alice/foo', 'alice');
  const aliceMerge = await f.registry.head();
  await gitIn(f.registry.dir, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #2 from mallory/foo', 'mallory');
  const malloryMerge = await f.registry.head();
  return { alice, mallory, aliceMerge, malloryMerge };
}

async function expectOnlyAlicePublished(f: Fixture, report: Awaited<ReturnType<typeof curate>>) {
  expect(report.published.map((p) => `${p.name}@${p.version}`)).toEqual(['foo@1.0.0']);
  expect(report.refused.map((r) => r.file)).toEqual([FOO_2]);
  expect(await f.asset('foo/foo-2.0.0.tar.gz')).toBeUndefined();
  expect(await f.asset('foo/foo-2.0.0.tar.gz.sha256')).toBeUndefined();
  const lines = (await f.indexFile('3/f/foo'))!.trim().split('\n');
  expect(lines.map((l) => JSON.parse(l).version)).toEqual(['1.0.0']);
  expect(JSON.parse((await f.indexFile('packages.json'))!).packages).toEqual([
    expect.objectContaining({ name: 'foo', owners: ['alice'], versions: 1 }),
  ]);
}

/** Curate with each change's pull request looked up on GitHub (nock). */
function curateWithGitHub(f: Fixture) {
  return curate({
    signingKeyPem: TEST_KEY.privateKeyPem,
    repoDir: f.registry.dir,
    stores: [createFsStore(f.storeDir)],
    pullRequests: githubPullRequests(createOctokit({ token: 'ghs_test', retryBaseMs: 1 }), {
      owner: OWNER,
      repo: REPO,
    }),
  });
}

describe('the gate at merge time', () => {
  it('refuses the second of two racing PRs when GitHub says who opened them (not-owner, naming the owners)', async () => {
    const f = await createFixture();
    const { alice, mallory, aliceMerge, malloryMerge } = await race(f);
    const scopes = [
      mergedPullRequest(aliceMerge, { number: 1, author: 'alice', headSha: alice }),
      reviews(1, []),
      mergedPullRequest(malloryMerge, { number: 2, author: 'mallory', headSha: mallory }),
      reviews(2, []),
    ];
    const report = await curateWithGitHub(f);
    for (const scope of scopes) scope.done();
    await expectOnlyAlicePublished(f, report);
    const message = report.refused[0]!.message;
    expect(message).toContain('only an owner of foo (alice) may publish a new version');
    expect(message).toContain('[not-owner]');
    expect(message).toContain(`(at ${FOO_2}:`);
    expect(message).toContain('pull request #2 by mallory');
  });

  it('refuses it without any pull request record too: owners may not change silently (owner-continuity)', async () => {
    const f = await createFixture();
    const { aliceMerge, malloryMerge } = await race(f);
    // A direct push has no pull request: GitHub's empty answer, and the rules that need none apply.
    const scopes = [noPullRequest(aliceMerge), noPullRequest(malloryMerge)];
    const report = await curateWithGitHub(f);
    for (const scope of scopes) scope.done();
    await expectOnlyAlicePublished(f, report);
    expect(report.refused[0]!.message).toMatch(
      /foo@2\.0\.0 changes the owners of foo from alice to mallory.*\[owner-continuity\].*no pull request record/,
    );
  });

  it('takes --author for one merge from the command line, and refuses it for several', async () => {
    const f = await createFixture();
    const url = await f.source('foo', ['1.0.0', '2.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml(`stores: ["fs:${f.storeDir}"]`));
    await f.registry.write(FOO_1, f.definition('foo', '1.0.0', url));
    await f.registry.commit('Publish foo 1.0.0');
    expect(await main(['curate', '--repo', f.registry.dir], signingIo())).toBe(0);
    // mallory's version keeps the owners, so only who opened the PR tells it apart
    await f.registry.write(FOO_2, f.definition('foo', '2.0.0', url).replace('owners: [alice]\n', ''));
    await f.registry.commit('Publish foo 2.0.0');
    await f.registry.write('README.md', 'notes\n');
    await f.registry.commit('notes');

    const several = signingIo();
    expect(await main(['curate', '--repo', f.registry.dir, '--author', 'mallory'], several)).toBe(2);
    expect(several.err.join('')).toMatch(/2 merged changes wait to be curated/);

    await gitIn(f.registry.dir, 'reset', '-q', '--hard', 'HEAD~1');
    const io = signingIo();
    expect(await main(['curate', '--repo', f.registry.dir, '--author', 'mallory', '--json'], io)).toBe(1);
    const report = JSON.parse(io.text());
    expect(report.published).toEqual([]);
    expect(report.refused).toEqual([
      expect.objectContaining({ file: FOO_2, message: expect.stringContaining('only an owner of foo (alice)') }),
    ]);
    expect(await f.asset('foo/foo-2.0.0.tar.gz')).toBeUndefined();
  });
});
