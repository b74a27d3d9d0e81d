// A merged PR is curated for real: a clone of a local "remote", the real packer and curate, the GitHub store against nock.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { indexPath } from '../../core/index-path.js';
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
  TOKEN,
  adaptPullRequest,
  adaptRepository,
  exampleObject,
  examplePayload,
  mockInstallationToken,
  testProbot,
} from './support/github.js';
import { DEF, mergedPullRequest, noPullRequest, prFileEntry, reviews } from './support/pr-mocks.js';
import { createRegistry, createSource, definition } from './support/registry.js';
import { fakeReleases, SECONDARY_RATE_LIMIT } from './support/releases-fake.js';

async function mergedRegistry() {
  const source = await createSource('1.0.0');
  const { registry } = await createRegistry();
  await registry.write(DEF, definition({ name: 'left-pad', version: '1.0.0', location: `git: file://${source.dir}` }));
  const merge = await registry.commit('Merge pull request #12: left-pad 1.0.0');
  const remote = join(await tempDir('granary-remote-'), 'registry.git');
  await gitIn(registry.dir, 'clone', '-q', '--bare', registry.dir, remote);
  return { merge, remote };
}

function deps(remote: string): AppDependencies {
  return {
    validateChange,
    curate,
    checkout: createGitCheckout({ remoteUrl: () => remote }),
    signingKeyPem: TEST_KEY.privateKeyPem,
    stores: ({ owner, repo, octokit }) => [createGitHubStore({ owner, repo, octokit: octokit as never })],
  };
}

function prAndComments(number: number, posted: string[]) {
  const comment = exampleObject('issue_comment', 'comment');
  return [
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/pulls/${number}/files`)
      .query({ per_page: '100' })
      .reply(200, [prFileEntry()]),
    nock(API).get(`/repos/${OWNER}/${REPO}/issues/${number}/comments`).query({ per_page: '100' }).reply(200, []),
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues/${number}/comments`, (body) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, { ...comment, id: 5 }),
  ];
}

/** GitHub's record of the merge: pull request #12 by Codertocat, no reviews (the merge-time gate asks). */
function mergeRecord(merge: string) {
  return [mergedPullRequest(merge, { number: 12, author: 'Codertocat', headSha: 'c'.repeat(40) }), reviews(12, [])];
}

function checkRuns(bodies: Array<Record<string, any>>) {
  return nock(API)
    .post(`/repos/${OWNER}/${REPO}/check-runs`, (body) => {
      bodies.push(body);
      return true;
    })
    .reply(201, { ...exampleObject('check_run', 'check_run'), id: 6 });
}

function mergedPayload(merge: string) {
  return adaptPullRequest(examplePayload('pull_request', 'closed'), {
    number: 12,
    headSha: 'c'.repeat(40),
    baseSha: 'd'.repeat(40),
    author: 'Codertocat',
    merged: true,
    mergeSha: merge,
  });
}

describe('curation of a merged pull request', () => {
  it('publishes to the release, pushes the index and comments with the SHA-256', async () => {
    const { merge, remote } = await mergedRegistry();
    // The first upload of the tarball meets a 502: the client retries it.
    const releases = fakeReleases((name, attempt) => (name.endsWith('.tar.gz') && attempt === 1 ? 502 : undefined));
    const payload = mergedPayload(merge);
    const posted: string[] = [];
    const bodies: Array<Record<string, any>> = [];
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      ...mergeRecord(merge),
      ...prAndComments(12, posted),
      checkRuns(bodies),
    ];

    const pushedWith: Array<string | undefined> = [];
    const real = deps(remote);
    const probot = testProbot();
    await probot.load(
      createApp({
        ...real,
        checkout: {
          ...real.checkout,
          pushIndex: (dir, branch, token) => (pushedWith.push(token), real.checkout.pushIndex(dir, branch, token)),
        },
      }),
    );
    await probot.receive({ id: 'merge-1', name: 'pull_request', payload } as never);
    // The push asks the client for the installation token again rather than reusing the clone's.
    expect(pushedWith).toEqual([TOKEN]);

    for (const m of mocks) m.done();
    expect(releases.failedUploads).toBe(1);
    const tarball = releases.assets.get('left-pad')?.get('left-pad-1.0.0.tar.gz');
    expect(tarball).toBeDefined();
    const sha256 = createHash('sha256').update(tarball!).digest('hex');
    expect(releases.assets.get('left-pad')?.get('left-pad-1.0.0.tar.gz.sha256')?.toString()).toContain(sha256);

    // The index branch arrived on the remote, fast-forward, and records the same hash.
    const line = JSON.parse(await gitIn(remote, 'show', `index:${indexPath('left-pad')}`));
    expect(line).toMatchObject({ name: 'left-pad', version: '1.0.0', sha256 });

    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(
      `| \`left-pad\` | 1.0.0 | \`${sha256}\` | [left-pad-1.0.0.tar.gz](https://github.com/${OWNER}/${REPO}/releases/download/left-pad/left-pad-1.0.0.tar.gz) · [release](https://github.com/${OWNER}/${REPO}/releases/tag/left-pad) |`,
    );
    expect(posted[0]).toContain(`<!-- granary:curate:${merge} -->`);
    expect(bodies).toEqual([
      {
        name: 'granary/curate',
        head_sha: merge,
        status: 'completed',
        conclusion: 'success',
        output: { title: 'Published left-pad@1.0.0', summary: expect.stringContaining(sha256) },
      },
    ]);
  });

  it('reports a permanent GitHub failure on the PR: a comment and a failing check, index untouched', async () => {
    const { merge, remote } = await mergedRegistry();
    let outage = true;
    const releases = fakeReleases((name) => (outage && name.endsWith('.tar.gz') ? 502 : undefined));
    const payload = mergedPayload(merge);
    const posted: string[] = [];
    const bodies: Array<Record<string, any>> = [];
    const comment = exampleObject('issue_comment', 'comment');
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      ...mergeRecord(merge),
      nock(API).get(`/repos/${OWNER}/${REPO}/issues/12/comments`).query({ per_page: '100' }).reply(200, []),
      nock(API)
        .post(`/repos/${OWNER}/${REPO}/issues/12/comments`, (body) => {
          posted.push(body.body);
          return true;
        })
        .reply(201, { ...comment, id: 7 }),
      checkRuns(bodies),
    ];

    const probot = testProbot();
    await probot.load(createApp(deps(remote)));
    await probot.receive({ id: 'merge-2', name: 'pull_request', payload } as never);

    for (const m of mocks) m.done();
    // One attempt and three retries.
    expect(releases.failedUploads).toBe(4);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/^\*\*Curation failed\.\*\*/);
    expect(posted[0]).toContain('502');
    expect(posted[0]).toContain(`<!-- granary:curate-failed:${merge} -->`);
    expect(bodies).toEqual([
      {
        name: 'granary/curate',
        head_sha: merge,
        status: 'completed',
        conclusion: 'failure',
        output: { title: 'Curation failed', summary: expect.stringContaining('502') },
      },
    ]);
    await expect(gitIn(remote, 'rev-parse', '--verify', '-q', 'refs/heads/index')).rejects.toThrow();

    // The maintainer redelivers the failed delivery (GitHub keeps its id) once GitHub is healthy: it runs again.
    outage = false;
    const again: Array<Record<string, any>> = [];
    const retry = [...mergeRecord(merge), ...prAndComments(12, posted), checkRuns(again)];
    await probot.receive({ id: 'merge-2', name: 'pull_request', payload } as never);
    for (const m of retry) m.done();
    expect(again[0]).toMatchObject({ conclusion: 'success', output: { title: 'Published left-pad@1.0.0' } });
    expect(releases.assets.get('left-pad')?.has('left-pad-1.0.0.tar.gz')).toBe(true);
    expect(await gitIn(remote, 'rev-parse', '--verify', '-q', 'refs/heads/index')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('curates again when "Re-run" is asked of the granary/curate check (check_run rerequested)', async () => {
    const { merge, remote } = await mergedRegistry();
    const releases = fakeReleases();
    const payload = adaptRepository(examplePayload('check_run', 'rerequested'));
    payload['check_run'] = { ...payload['check_run'], name: 'granary/curate', head_sha: merge, pull_requests: [] };
    const bodies: Array<Record<string, any>> = [];
    const mocks = [mockInstallationToken(payload['installation'].id), noPullRequest(merge), checkRuns(bodies)];
    const probot = testProbot();
    await probot.load(createApp(deps(remote)));
    await probot.receive({ id: 'rerun-1', name: 'check_run', payload } as never);
    for (const m of mocks) m.done();
    expect(releases.assets.get('left-pad')?.has('left-pad-1.0.0.tar.gz')).toBe(true);
    expect(bodies[0]).toMatchObject({ name: 'granary/curate', head_sha: merge, conclusion: 'success' });
  });

  it('does no harm when the merge is delivered again: nothing republished, no second comment', async () => {
    const { merge, remote } = await mergedRegistry();
    const releases = fakeReleases();
    const payload = mergedPayload(merge);
    const posted: string[] = [];
    const probot = testProbot();
    await probot.load(createApp(deps(remote)));
    const first = [
      mockInstallationToken(payload['installation'].id),
      ...mergeRecord(merge),
      ...prAndComments(12, posted),
      checkRuns([]),
    ];
    await probot.receive({ id: 'merge-3', name: 'pull_request', payload } as never);
    for (const m of first) m.done();
    const indexAfterFirst = await gitIn(remote, 'rev-parse', 'refs/heads/index');

    // The very same delivery: ignored before any call.
    await probot.receive({ id: 'merge-3', name: 'pull_request', payload } as never);
    // A new delivery of the same merge (another instance, or a manual redelivery): curate finds nothing new,
    // the result comment is found by its marker and not repeated.
    const bodies: Array<Record<string, any>> = [];
    const second = [
      nock(API).get(`/repos/${OWNER}/${REPO}/pulls/12/files`).query({ per_page: '100' }).reply(200, [prFileEntry()]),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/issues/12/comments`)
        .query({ per_page: '100' })
        .reply(200, [{ ...exampleObject('issue_comment', 'comment'), id: 5, body: posted[0] }]),
      checkRuns(bodies),
    ];
    await probot.receive({ id: 'merge-4', name: 'pull_request', payload } as never);
    for (const m of second) m.done();
    expect(posted).toHaveLength(1);
    expect(await gitIn(remote, 'rev-parse', 'refs/heads/index')).toBe(indexAfterFirst);
    expect([...releases.assets.get('left-pad')!.keys()].sort()).toEqual([
      'left-pad-1.0.0.tar.gz',
      'left-pad-1.0.0.tar.gz.sha256',
    ]);
    expect(bodies[0]).toMatchObject({ conclusion: 'success', output: { title: 'Published left-pad@1.0.0' } });
  });

  it('curates a push to the default branch made without a pull request, reporting on the commit', async () => {
    const { merge, remote } = await mergedRegistry();
    const releases = fakeReleases();
    const payload = adaptRepository(examplePayload('push'));
    payload['ref'] = 'refs/heads/main';
    payload['after'] = merge;
    payload['deleted'] = false;
    const bodies: Array<Record<string, any>> = [];
    const mocks = [mockInstallationToken(payload['installation'].id), noPullRequest(merge), checkRuns(bodies)];
    const probot = testProbot();
    await probot.load(createApp(deps(remote)));
    await probot.receive({ id: 'push-1', name: 'push', payload } as never);
    for (const m of mocks) m.done();
    expect(releases.assets.get('left-pad')?.has('left-pad-1.0.0.tar.gz')).toBe(true);
    expect(bodies).toEqual([
      {
        name: 'granary/curate',
        head_sha: merge,
        status: 'completed',
        conclusion: 'success',
        output: { title: 'Published left-pad@1.0.0', summary: expect.stringContaining('left-pad') },
      },
    ]);
  });

  it('waits out a secondary rate limit on an upload and publishes (throttling on, time scaled)', async () => {
    const { merge, remote } = await mergedRegistry();
    // GitHub's 403 "secondary rate limit" with retry-after: 1, on the first upload of the tarball.
    const releases = fakeReleases((name, attempt) =>
      name.endsWith('.tar.gz') && attempt === 1 ? SECONDARY_RATE_LIMIT : undefined,
    );
    const payload = mergedPayload(merge);
    const posted: string[] = [];
    const bodies: Array<Record<string, any>> = [];
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      ...mergeRecord(merge),
      ...prAndComments(12, posted),
      checkRuns(bodies),
    ];
    const probot = testProbot('test-secret', { throttled: true });
    await probot.load(createApp(deps(remote)));
    await probot.receive({ id: 'merge-throttled', name: 'pull_request', payload } as never);
    for (const m of mocks) m.done();
    expect(releases.failedUploads).toBe(1);
    expect(releases.assets.get('left-pad')?.has('left-pad-1.0.0.tar.gz')).toBe(true);
    expect(bodies[0]).toMatchObject({ conclusion: 'success', output: { title: 'Published left-pad@1.0.0' } });
  });

  it('clones once for a merge that touches no registry file: the push that follows is already curated', async () => {
    const { merge, remote } = await mergedRegistry();
    fakeReleases();
    let clones = 0;
    const checkout = createGitCheckout({ remoteUrl: () => remote });
    const counted: AppDependencies = {
      ...deps(remote),
      checkout: { ...checkout, clone: (...args) => (clones++, checkout.clone(...args)) },
    };
    const probot = testProbot();
    await probot.load(createApp(counted));
    // left-pad is curated first, so the index exists and records that merge.
    const first = mergedPayload(merge);
    const setup = [
      mockInstallationToken(first['installation'].id),
      ...mergeRecord(merge),
      ...prAndComments(12, []),
      checkRuns([]),
    ];
    await probot.receive({ id: 'notes-0', name: 'pull_request', payload: first } as never);
    for (const m of setup) m.done();

    // Then a pull request that only changes the README merges.
    const work = join(await tempDir('granary-work-'), 'registry');
    await gitIn(remote, 'clone', '-q', remote, work);
    await writeFile(join(work, 'README.md'), '# notes\n');
    await gitIn(work, 'add', '-A');
    await gitIn(work, 'commit', '-qm', 'Merge pull request #13: notes');
    await gitIn(work, 'push', '-q', 'origin', 'HEAD:main');
    const notes = await gitIn(work, 'rev-parse', 'HEAD');
    const payload = adaptPullRequest(examplePayload('pull_request', 'closed'), {
      number: 13,
      headSha: 'e'.repeat(40),
      baseSha: merge,
      author: 'Codertocat',
      merged: true,
      mergeSha: notes,
    });
    const mocks = [...prAndComments(13, []), checkRuns([])];
    await probot.receive({ id: 'notes-1', name: 'pull_request', payload } as never);
    for (const m of mocks) m.done();
    expect(clones).toBe(2);

    const push = adaptRepository(examplePayload('push'));
    push['ref'] = 'refs/heads/main';
    push['after'] = notes;
    push['deleted'] = false;
    // No mock: any request would fail the delivery, and no clone is made.
    await probot.receive({ id: 'notes-2', name: 'push', payload: push } as never);
    expect(clones).toBe(2);
  });
});
