// `granary automerge` end to end against GitHub's answers (nock, recorded shapes, fake time): a pull request
// waits out its window after granary/validate passed, then merges with the head it was judged on; a person's
// comment holds it ([noblock] does not); a head that moved is never merged; a new package waits days.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { automerge } from '../../curator/github/automerge.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { exampleObject, pullRequestObject } from '../app/support/github.js';
import { prFileEntry } from '../app/support/pr-mocks.js';
import { SINCE_RECORDED } from '../stores/github-fixtures.js';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const API = 'https://api.github.com';
const R = '/repos/acme/registry';
const ref = { owner: 'acme', repo: 'registry' };
const github = () => createOctokit({ token: 't', retryBaseMs: 1, writeIntervalMs: 0 });
const repository = {
  ...require('@octokit/fixtures/scenarios/api.github.com/get-repository/normalized-fixture.json')[0].response,
  ...SINCE_RECORDED.repository,
  default_branch: 'main',
};
const PASSED = Date.parse('2026-11-30T12:00:00Z');
const minutes = (n: number) => () => PASSED + n * 60_000;
const HEAD = 'a'.repeat(40);
const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };

/** One open pull request by `author` adding `path`, its passing check, its comments, and whether its package exists. */
function openPullRequest(
  scope: nock.Scope,
  options: { author?: string; path?: string; comments?: Array<{ body: string; bot?: boolean }>; newPackage?: boolean },
) {
  const path = options.path ?? 'packages/left-pad/1.1.0.yaml';
  scope
    .get(R)
    .reply(200, repository)
    .get(`${R}/contents/registry.yaml`)
    .query({ ref: 'main' })
    .reply(200, 'name: acme\ntrustees: [tina]\n', { 'content-type': 'application/vnd.github.raw' })
    .get(`${R}/pulls`)
    .query({ state: 'open', base: 'main', per_page: '100' })
    .reply(200, [pullRequestObject({ number: 5, author: options.author ?? 'alice', headSha: HEAD })])
    .get(`${R}/commits/${HEAD}/check-runs`)
    .query({ check_name: 'granary/validate', per_page: '10' })
    .reply(200, {
      total_count: 1,
      check_runs: [
        {
          ...exampleObject('check_run', 'check_run'),
          name: 'granary/validate',
          head_sha: HEAD,
          status: 'completed',
          conclusion: 'success',
          completed_at: new Date(PASSED).toISOString(),
        },
      ],
    });
  const comment = exampleObject('issue_comment', 'comment');
  scope
    .get(`${R}/issues/5/comments`)
    .query({ per_page: '100' })
    .reply(
      200,
      (options.comments ?? []).map((c, i) => ({
        ...comment,
        id: 100 + i,
        body: c.body,
        user: { ...comment['user'], login: c.bot ? 'granary[bot]' : 'someone', type: c.bot ? 'Bot' : 'User' },
      })),
    );
  return path;
}

/** The PR's files, and the base's answer for its package folder (a file list, or 404 for a new package). */
function kindAnswers(scope: nock.Scope, path: string, newPackage: boolean) {
  scope
    .get(`${R}/pulls/5/files`)
    .query({ per_page: '100' })
    .reply(200, [prFileEntry(path)]);
  const folder = scope.get(`${R}/contents/${encodeURIComponent(path.split('/').slice(0, 2).join('/'))}`);
  if (newPackage) folder.reply(404, notFound);
  else folder.reply(200, []);
}

describe('granary automerge', () => {
  it('waits out the window of a new version, then merges with the head it judged', async () => {
    let scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, {}), false);
    expect(await automerge(github(), ref, { now: minutes(10) })).toEqual([
      expect.objectContaining({
        number: 5,
        outcome: 'waiting',
        kind: 'new-version',
        until: '2026-11-30T12:15:00.000Z',
      }),
    ]);
    scope.done();

    scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, { comments: [{ body: 'Welcome!', bot: true }] }), false);
    let sent: unknown;
    scope
      .put(`${R}/pulls/5/merge`, (body) => ((sent = body), true))
      .reply(200, { sha: 'b'.repeat(40), merged: true, message: 'Pull Request successfully merged' });
    expect(await automerge(github(), ref, { now: minutes(20) })).toEqual([
      expect.objectContaining({ number: 5, outcome: 'merged' }),
    ]);
    expect(sent).toEqual({ sha: HEAD, merge_method: 'squash' });
    scope.done();
  });

  it('holds a pull request a person commented on, unless the comment says [noblock]', async () => {
    let scope = nock(API);
    openPullRequest(scope, { comments: [{ body: 'Please wait: this name is ours.' }] });
    const [held] = await automerge(github(), ref, { now: minutes(60) });
    expect(held).toMatchObject({ outcome: 'blocked', reason: expect.stringContaining('someone commented') });
    scope.done();

    scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, { comments: [{ body: 'Looks fine [noblock]' }] }), false);
    scope.put(`${R}/pulls/5/merge`).reply(200, { sha: 'b'.repeat(40), merged: true, message: 'merged' });
    expect((await automerge(github(), ref, { now: minutes(60) }))[0]).toMatchObject({ outcome: 'merged' });
    scope.done();
  });

  it('never merges a head that moved after it was judged', async () => {
    const scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, {}), false);
    scope
      .put(`${R}/pulls/5/merge`)
      .reply(409, { message: 'Head branch was modified. Review and try the merge again.' });
    expect((await automerge(github(), ref, { now: minutes(60) }))[0]).toMatchObject({
      outcome: 'blocked',
      reason: expect.stringContaining('the head moved'),
    });
    scope.done();
  });

  it('reports a merge GitHub refuses for this pull request alone (a workflow file, without the workflows permission) and goes on', async () => {
    const scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, {}), false);
    scope.put(`${R}/pulls/5/merge`).reply(403, {
      message:
        'refusing to allow a GitHub App to create or update workflow `.github/workflows/curate.yml` without `workflows` permission',
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request',
      status: '403',
    });
    expect((await automerge(github(), ref, { now: minutes(60) }))[0]).toMatchObject({
      outcome: 'blocked',
      reason: expect.stringMatching(/GitHub refused the merge \(403\): refusing to allow .*merge it by hand/),
    });
    scope.done();
  });

  it('lets a new package wait three days, and a trustee not at all', async () => {
    let scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, { path: 'packages/brand-new/1.0.0.yaml' }), true);
    expect((await automerge(github(), ref, { now: minutes(24 * 60), dryRun: true }))[0]).toMatchObject({
      outcome: 'waiting',
      kind: 'new-package',
      until: '2026-12-03T12:00:00.000Z',
    });
    scope.done();

    scope = nock(API);
    kindAnswers(scope, openPullRequest(scope, { author: 'tina', path: 'packages/brand-new/1.0.0.yaml' }), true);
    expect((await automerge(github(), ref, { now: minutes(1), dryRun: true }))[0]).toMatchObject({
      outcome: 'would-merge',
    });
    scope.done();
  });

  it("on the app's timer, does nothing unless registry.yaml turns it on", async () => {
    const scope = nock(API)
      .get(`${R}/contents/registry.yaml`)
      .query({ ref: 'main' })
      .reply(200, 'name: acme\n', { 'content-type': 'application/vnd.github.raw' });
    expect(await automerge(github(), ref, { enabledOnly: true, branch: 'main', now: minutes(60) })).toEqual([]);
    scope.done();
  });
});
