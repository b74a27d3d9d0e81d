// nock answers for a pull request's files, reviews and check runs, in the shapes GitHub returns.
import { execFileSync } from 'node:child_process';
import nock from 'nock';
import { indexPath } from '../../../core/index-path.js';
import { API, OWNER, REPO, exampleObject, pullRequestObject } from './github.js';
import { createRegistry } from './registry.js';

export const DEF = 'packages/left-pad/1.0.0.yaml';

export async function pullRequestWith(text: string, path = DEF) {
  const { registry, base } = await createRegistry();
  await registry.git('checkout', '-q', '-b', 'submit');
  await registry.write(path, text);
  const head = await registry.commit(`add ${path}`);
  return { registry, base, head };
}

/** One entry of a pull request's file list, as GitHub lists an added file (`sha`: its blob at the head). */
export function prFileEntry(path = DEF, sha = 'bbcd538c8e72b8c175046e27cc8f907076331401'): Record<string, unknown> {
  return {
    sha,
    filename: path,
    status: 'added',
    additions: 9,
    deletions: 0,
    changes: 9,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/x/${path}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/x/${path}`,
    contents_url: `${API}/repos/${OWNER}/${REPO}/contents/${path}`,
    patch: '@@ -0,0 +1,9 @@',
  };
}

/** The files of pull request `number` whose head is `at.commit` of the repository at `at.dir`: the real blob SHA. */
export function prFiles(number: number, at: { dir: string; commit: string }, path = DEF) {
  const blob = execFileSync('git', ['rev-parse', `${at.commit}:${path}`], { cwd: at.dir })
    .toString('utf8')
    .trim();
  return nock(API)
    .get(`/repos/${OWNER}/${REPO}/pulls/${number}/files`)
    .query({ per_page: '100' })
    .reply(200, [prFileEntry(path, blob)]);
}

export function reviews(number: number, list: Array<{ login: string; state: string; commit: string }>) {
  const example = exampleObject('pull_request_review', 'review');
  return nock(API)
    .get(`/repos/${OWNER}/${REPO}/pulls/${number}/reviews`)
    .query({ per_page: '100' })
    .reply(
      200,
      list.map((r, i) => ({
        ...example,
        id: 80 + i,
        user: { ...example.user, login: r.login },
        state: r.state,
        commit_id: r.commit,
      })),
    );
}

export function captureCheckRuns(bodies: unknown[]) {
  const checkRun = exampleObject('check_run', 'check_run');
  return nock(API)
    .post(`/repos/${OWNER}/${REPO}/check-runs`, (body) => {
      bodies.push(body);
      return true;
    })
    .reply(201, { ...checkRun, id: 4 });
}

/**
 * The package's file on the index branch (contents API, raw): its lines, or GitHub's 404 when it has none.
 * Octokit sends the path as one encoded segment (`le%2Fft%2Fleft-pad`), which the contents API accepts.
 */
export function indexFile(name: string, text?: string) {
  const path = indexPath(name).split('/').map(encodeURIComponent).join('%2F');
  const scope = nock(API).get(`/repos/${OWNER}/${REPO}/contents/${path}`).query({ ref: 'index' });
  return text === undefined
    ? scope.reply(404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
        status: '404',
      })
    : scope.reply(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
}

/**
 * GitHub's answer to "which pull requests is this commit part of" (`GET /repos/{o}/{r}/commits/{sha}/pulls`):
 * the merged pull request whose merge commit is `commit`, shaped as GitHub's own pull request object.
 */
export function mergedPullRequest(commit: string, pr: { number: number; author: string; headSha: string }) {
  return nock(API)
    .get(`/repos/${OWNER}/${REPO}/commits/${commit}/pulls`)
    .query({ per_page: '100' })
    .reply(200, [
      {
        ...pullRequestObject({ ...pr, state: 'closed' }),
        merged_at: '2024-05-01T12:00:00Z',
        merge_commit_sha: commit,
      },
    ]);
}

/** The commit is in no pull request (a direct push): GitHub's empty list. */
export function noPullRequest(commit: string) {
  return nock(API).get(`/repos/${OWNER}/${REPO}/commits/${commit}/pulls`).query({ per_page: '100' }).reply(200, []);
}
