import nock from 'nock';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AssetConflictError, GitHubApiError, InputError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { createGitHubStore, githubAssetPath } from '../../curator/stores/github-store.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { sidecarFor } from '../../curator/stores/sidecar.js';
import {
  JSON_HEADERS,
  OWNER,
  REPO,
  assetAlreadyExistsBody,
  assetBody,
  errorBody,
  linkHeader,
  notFoundBody,
  releaseAlreadyExistsBody,
  releaseBody,
  repositoryBody,
} from './github-fixtures.js';

const API = 'https://api.github.com';
const UPLOADS = 'https://uploads.github.com';
const OBJECTS = 'https://objects.githubusercontent.com';
const R = `/repos/${OWNER}/${REPO}`;

const tarball = gzipSync(Buffer.from('widgets 1.0.0 contents'));
const rebuilt = gzipSync(Buffer.from('widgets 1.0.0 contents, but different'));

function makeStore(options: { max?: number; log?: string[] } = {}) {
  const octokit = createOctokit({ token: 'test-token', retryBaseMs: 1, writeIntervalMs: 0 });
  return createGitHubStore({
    owner: OWNER,
    repo: REPO,
    octokit,
    ...(options.max === undefined ? {} : { maxAssetsPerRelease: options.max }),
    ...(options.log ? { log: (line: string) => options.log!.push(line) } : {}),
  });
}

/**
 * Mocks for a release that exists with `assets` (listed in pages of 100, Link headers as GitHub
 * sends them); with `probeNext`, the lookup of the next continuation release then finds none.
 */
function existingRelease(
  api: nock.Scope,
  tag: string,
  id: number,
  assets: Array<Record<string, unknown>>,
  probeNext = true,
): void {
  api.get(`${R}/releases/tags/${encodeURIComponent(tag)}`).reply(200, releaseBody(id, tag), JSON_HEADERS);
  listing(api, id, assets);
  if (probeNext) missingRelease(api, nextTag(tag));
}

function nextTag(tag: string): string {
  const match = /^(.*)\.(\d+)$/.exec(tag);
  return match ? `${match[1]}.${Number(match[2]) + 1}` : `${tag}.2`;
}

function listing(api: nock.Scope, id: number, assets: Array<Record<string, unknown>>): void {
  const path = `${R}/releases/${id}/assets`;
  const pages = Math.max(1, Math.ceil(assets.length / 100));
  for (let page = 1; page <= pages; page++) {
    const query = page === 1 ? { per_page: '100' } : { per_page: '100', page: String(page) };
    const headers = pages > 1 ? { ...JSON_HEADERS, link: linkHeader(path, page, pages) } : JSON_HEADERS;
    api
      .get(path)
      .query(query)
      .reply(200, assets.slice((page - 1) * 100, page * 100), headers);
  }
}

function missingRelease(api: nock.Scope, tag: string): void {
  api.get(`${R}/releases/tags/${encodeURIComponent(tag)}`).reply(404, notFoundBody(), JSON_HEADERS);
}

/** No draft release left by an earlier run: GitHub's list of releases, empty. */
function noDrafts(api: nock.Scope): void {
  api.get(`${R}/releases`).query({ per_page: '100' }).reply(200, [], JSON_HEADERS);
}

/** The exact release creation request the store must send: a draft, published once its assets are in. */
function createsRelease(api: nock.Scope, tag: string, id: number, part = 1): void {
  noDrafts(api);
  api.get(R).reply(200, repositoryBody(), JSON_HEADERS);
  api
    .post(`${R}/releases`, (body: Record<string, unknown>) => {
      expect(body).toEqual({
        tag_name: tag,
        target_commitish: 'main',
        name: tag,
        body: expect.stringContaining(part === 1 ? 'Published versions of the package `' : `(part ${part})`) as unknown,
        draft: true,
        prerelease: false,
        make_latest: 'false',
      });
      return true;
    })
    .reply(201, { ...releaseBody(id, tag), draft: true }, JSON_HEADERS);
}

/** An upload whose content type, length and bytes are checked exactly. */
function uploads(
  scope: nock.Scope,
  releaseId: number,
  name: string,
  bytes: Buffer,
  contentType: string,
): nock.Interceptor {
  return scope
    .post(`${R}/releases/${releaseId}/assets`, (body: string) => {
      // nock hands over text bodies as text and binary ones as hex.
      expect([bytes.toString('utf8'), bytes.toString('hex')]).toContain(body);
      return true;
    })
    .query({ name })
    .matchHeader('content-type', contentType)
    .matchHeader('content-length', String(bytes.byteLength));
}

/** A download: the API redirects to the object store, which serves the bytes without our token. */
function downloads(api: nock.Scope, objects: nock.Scope, assetId: number, bytes: Buffer): void {
  const object = `/github-production-release-asset-2e65be/1000/${assetId}?X-Amz-Signature=0`;
  api
    .get(`${R}/releases/assets/${assetId}`)
    .matchHeader('accept', 'application/octet-stream')
    .reply(302, '', { location: `${OBJECTS}${object}` });
  objects.get(object).reply(200, bytes, { 'content-type': 'application/octet-stream' });
}

describe('github store', () => {
  it('creates the release when missing, then uploads tarball and sidecar with exact type and length', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const tag = '@acme/widgets';
    const name = 'acme_widgets-1.0.0.tar.gz';
    const sidecar = sidecarFor(name, sha256Hex(tarball));
    missingRelease(api, tag);
    createsRelease(api, tag, 2001);
    uploads(up, 2001, name, tarball, 'application/gzip').reply(
      201,
      assetBody(3001, tag, name, tarball.length),
      JSON_HEADERS,
    );
    uploads(up, 2001, sidecar.fileName, sidecar.bytes, 'text/plain').reply(
      201,
      assetBody(3002, tag, sidecar.fileName, sidecar.bytes.length),
      JSON_HEADERS,
    );

    // Published only once both assets are in: a draft until then, invisible and open to uploads.
    api
      .patch(`${R}/releases/2001`, (body: Record<string, unknown>) => {
        expect(body).toEqual({ draft: false, make_latest: 'false' });
        return true;
      })
      .reply(200, { ...releaseBody(2001, tag), draft: false }, JSON_HEADERS);

    const log: string[] = [];
    const store = makeStore({ log });
    const result = await store.put(tag, name, tarball);
    const side = await store.put(tag, sidecar.fileName, sidecar.bytes);
    await store.seal!(tag);

    expect(result).toEqual({
      asset: '%40acme%2Fwidgets/acme_widgets-1.0.0.tar.gz',
      status: 'created',
      url: `https://github.com/${OWNER}/${REPO}/releases/download/%40acme%2Fwidgets/acme_widgets-1.0.0.tar.gz`,
    });
    expect(side.asset).toBe('%40acme%2Fwidgets/acme_widgets-1.0.0.tar.gz.sha256');
    expect(store.assetBase).toBe(`https://github.com/${OWNER}/${REPO}/releases/download`);
    expect(store.spec).toBe(`github:${OWNER}/${REPO}`);
    expect(log).toEqual([
      `created draft release @acme/widgets in ${OWNER}/${REPO}`,
      `published release @acme/widgets in ${OWNER}/${REPO}`,
    ]);
    // Same as GitHub's own browser_download_url for that tag and name.
    expect(`${store.assetBase}/${result.asset}`).toBe(assetBody(3001, tag, name, 1)['browser_download_url']);
    api.done();
    up.done();
  });

  it('creates a missing release once when puts for the same package run at the same time', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const sidecar = sidecarFor('widgets-1.0.0.tar.gz', sha256Hex(tarball));
    missingRelease(api, 'widgets');
    createsRelease(api, 'widgets', 2001);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );
    uploads(up, 2001, sidecar.fileName, sidecar.bytes, 'text/plain').reply(
      201,
      assetBody(3002, 'widgets', sidecar.fileName, sidecar.bytes.length),
      JSON_HEADERS,
    );

    const store = makeStore();
    const results = await Promise.all([
      store.put('widgets', 'widgets-1.0.0.tar.gz', tarball),
      store.put('widgets', sidecar.fileName, sidecar.bytes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'created']);
    api.done();
    up.done();
  });

  it('reuses an asset that is already listed with the same bytes (download follows the redirect, token not sent on)', async () => {
    const api = nock(API);
    const objects = nock(OBJECTS, { badheaders: ['authorization'] });
    existingRelease(api, 'widgets', 2001, [assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length)]);
    downloads(api, objects, 3001, tarball);

    const store = makeStore();
    expect(await store.put('widgets', 'widgets-1.0.0.tar.gz', tarball)).toEqual({
      asset: 'widgets/widgets-1.0.0.tar.gz',
      status: 'reused',
      url: `https://github.com/${OWNER}/${REPO}/releases/download/widgets/widgets-1.0.0.tar.gz`,
    });
    api.done();
    objects.done();
  });

  it("compares by GitHub's digest of the asset when it has one: no download, same bytes reused, others a conflict", async () => {
    const api = nock(API);
    const digest = `sha256:${sha256Hex(tarball)}`;
    existingRelease(api, 'widgets', 2001, [
      assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length, 'uploaded', digest),
      assetBody(3002, 'widgets', 'widgets-1.1.0.tar.gz', tarball.length, 'uploaded', `sha256:${'0'.repeat(64)}`),
    ]);
    const store = makeStore();
    // No download is mocked: reading the asset back would fail the test.
    expect((await store.put('widgets', 'widgets-1.0.0.tar.gz', tarball)).status).toBe('reused');
    const conflict = await store.put('widgets', 'widgets-1.1.0.tar.gz', tarball).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(AssetConflictError);
    expect((conflict as Error).message).toContain(
      `existing sha256 ${'0'.repeat(64)}, new sha256 ${sha256Hex(tarball)}`,
    );
    api.done();
  });

  it('treats 422 already_exists on upload with the same bytes as reused', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const objects = nock(OBJECTS);
    existingRelease(api, 'widgets', 2001, []);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      422,
      assetAlreadyExistsBody(),
      JSON_HEADERS,
    );
    listing(api, 2001, [assetBody(3005, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length)]);
    downloads(api, objects, 3005, tarball);

    const result = await makeStore().put('widgets', 'widgets-1.0.0.tar.gz', tarball);
    expect(result.status).toBe('reused');
    expect(result.asset).toBe('widgets/widgets-1.0.0.tar.gz');
    api.done();
    up.done();
    objects.done();
  });

  it('treats 422 already_exists with different bytes as a conflict naming both hashes, and deletes nothing', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const objects = nock(OBJECTS);
    const requests: string[] = [];
    const record = (req: { method: string; path: string }) => requests.push(`${req.method} ${req.path}`);
    api.on('request', record);
    existingRelease(api, 'widgets', 2001, []);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      422,
      assetAlreadyExistsBody(),
      JSON_HEADERS,
    );
    listing(api, 2001, [assetBody(3005, 'widgets', 'widgets-1.0.0.tar.gz', rebuilt.length)]);
    downloads(api, objects, 3005, rebuilt);

    const error = await makeStore()
      .put('widgets', 'widgets-1.0.0.tar.gz', tarball)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetConflictError);
    const message = (error as AssetConflictError).message;
    expect(message).toContain('widgets/widgets-1.0.0.tar.gz');
    expect(message).toContain(`existing sha256 ${sha256Hex(rebuilt)}`);
    expect(message).toContain(`new sha256 ${sha256Hex(tarball)}`);
    expect(requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
    api.done();
    up.done();
    objects.done();
  });

  it('lists assets across pages by following Link headers', async () => {
    const api = nock(API);
    const assets = Array.from({ length: 205 }, (_, i) =>
      assetBody(5000 + i, 'widgets', `widgets-1.0.${i}.tar.gz`, 100),
    );
    existingRelease(api, 'widgets', 2001, assets);

    const store = makeStore();
    expect(await store.find('widgets', 'widgets-1.0.204.tar.gz')).toBe('widgets/widgets-1.0.204.tar.gz');
    expect(await store.find('widgets', 'widgets-1.0.0.tar.gz')).toBe('widgets/widgets-1.0.0.tar.gz');
    // Answered from what was listed, with no further requests.
    expect(await store.find('widgets', 'widgets-9.9.9.tar.gz')).toBeUndefined();
    api.done();
  });

  it('rolls over to a continuation release once a release holds maxAssetsPerRelease assets', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const full = ['a', 'b', 'c'].map((v, i) => assetBody(4000 + i, 'widgets', `widgets-${v}.tar.gz`, 1));
    existingRelease(api, 'widgets', 2001, full);
    createsRelease(api, 'widgets.2', 2002, 2);
    uploads(up, 2002, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(4010, 'widgets.2', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );
    uploads(up, 2002, 'widgets-1.0.1.tar.gz', rebuilt, 'application/gzip').reply(
      201,
      assetBody(4011, 'widgets.2', 'widgets-1.0.1.tar.gz', rebuilt.length),
      JSON_HEADERS,
    );

    const store = makeStore({ max: 3 });
    const first = await store.put('widgets', 'widgets-1.0.0.tar.gz', tarball);
    const second = await store.put('widgets', 'widgets-1.0.1.tar.gz', rebuilt);
    expect(first).toMatchObject({ asset: 'widgets.2/widgets-1.0.0.tar.gz', status: 'created' });
    expect(second.asset).toBe('widgets.2/widgets-1.0.1.tar.gz');
    expect(await store.find('widgets', 'widgets-b.tar.gz')).toBe('widgets/widgets-b.tar.gz');
    expect(await store.find('widgets', 'widgets-1.0.1.tar.gz')).toBe('widgets.2/widgets-1.0.1.tar.gz');
    api.done();
    up.done();
  });

  it('uses 1000 assets per release by default: 999 still fit, the 1001st goes to the continuation release', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const assets = Array.from({ length: 999 }, (_, i) =>
      assetBody(10_000 + i, 'widgets', `widgets-0.0.${i}.tar.gz`, 1),
    );
    existingRelease(api, 'widgets', 2001, assets);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(20_000, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );
    createsRelease(api, 'widgets.2', 2002, 2);
    uploads(up, 2002, 'widgets-1.0.1.tar.gz', rebuilt, 'application/gzip').reply(
      201,
      assetBody(20_001, 'widgets.2', 'widgets-1.0.1.tar.gz', rebuilt.length),
      JSON_HEADERS,
    );

    const store = makeStore();
    expect((await store.put('widgets', 'widgets-1.0.0.tar.gz', tarball)).asset).toBe('widgets/widgets-1.0.0.tar.gz');
    expect((await store.put('widgets', 'widgets-1.0.1.tar.gz', rebuilt)).asset).toBe('widgets.2/widgets-1.0.1.tar.gz');
    api.done();
    up.done();
  });

  it('uses the release another run created first when creating it answers 422 already_exists', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    missingRelease(api, 'widgets');
    noDrafts(api);
    api.get(R).reply(200, repositoryBody(), JSON_HEADERS);
    api.post(`${R}/releases`).reply(422, releaseAlreadyExistsBody(), JSON_HEADERS);
    existingRelease(api, 'widgets', 2001, [], false);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );

    expect((await makeStore().put('widgets', 'widgets-1.0.0.tar.gz', tarball)).status).toBe('created');
    api.done();
    up.done();
  });

  it('retries 502 answers with backoff, then succeeds', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    api.get(`${R}/releases/tags/widgets`).times(2).reply(502, 'Bad Gateway', { 'content-type': 'text/html' });
    existingRelease(api, 'widgets', 2001, []);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(502, 'Bad Gateway', {
      'content-type': 'text/html',
    });
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );

    expect((await makeStore().put('widgets', 'widgets-1.0.0.tar.gz', tarball)).status).toBe('created');
    api.done();
    up.done();
  });

  it('waits out a secondary rate limit, then succeeds', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    const limited = errorBody(
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    );
    missingRelease(api, 'widgets');
    noDrafts(api);
    api.get(R).reply(200, repositoryBody(), JSON_HEADERS);
    api.post(`${R}/releases`).reply(403, limited, { ...JSON_HEADERS, 'retry-after': '1' });
    api.post(`${R}/releases`).reply(201, releaseBody(2001, 'widgets'), JSON_HEADERS);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(403, limited, {
      ...JSON_HEADERS,
      'retry-after': '1',
    });
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );

    const log: string[] = [];
    const octokit = createOctokit({
      token: 'test-token',
      retryBaseMs: 1,
      writeIntervalMs: 0,
      log: (line) => log.push(line),
    });
    const store = createGitHubStore({ owner: OWNER, repo: REPO, octokit });
    expect((await store.put('widgets', 'widgets-1.0.0.tar.gz', tarball)).status).toBe('created');
    expect(log.filter((l) => l.includes('secondary rate limit'))).toHaveLength(2);
    api.done();
    up.done();
  });

  it('a secondary rate limit that outlasts the retries is temporary and says so, not a permission problem', async () => {
    const api = nock(API);
    const limited = errorBody(
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    );
    missingRelease(api, 'widgets');
    noDrafts(api);
    api.get(R).reply(200, repositoryBody(), JSON_HEADERS);
    api
      .post(`${R}/releases`)
      .times(2)
      .reply(403, limited, { ...JSON_HEADERS, 'retry-after': '1' });
    const octokit = createOctokit({
      token: 'test-token',
      retryBaseMs: 1,
      writeIntervalMs: 0,
      secondaryRateLimitRetries: 1,
    });
    const error = await createGitHubStore({ owner: OWNER, repo: REPO, octokit })
      .put('widgets', 'widgets-1.0.0.tar.gz', tarball)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).temporary).toBe(true);
    expect((error as GitHubApiError).hint).toMatch(/rate limit held past the retries.*run it again later/);
    expect((error as GitHubApiError).hint).not.toMatch(/permission/);
    api.done();
  });

  it('turns a permanent 5xx into GitHubApiError with a hint after the retries run out', async () => {
    const api = nock(API);
    api.get(`${R}/releases/tags/widgets`).times(4).reply(502, 'Bad Gateway', { 'content-type': 'text/html' });
    const error = await makeStore()
      .find('widgets', 'widgets-1.0.0.tar.gz')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(502);
    expect((error as GitHubApiError).body).toBe('Bad Gateway');
    expect((error as GitHubApiError).hint).toMatch(/run the same command again later/);
    api.done();
  });

  it('turns 401 and 404 into GitHubApiError with a fix-it hint and the body kept', async () => {
    const api = nock(API);
    const badCredentials = errorBody('Bad credentials');
    api.get(`${R}/releases/tags/widgets`).reply(401, badCredentials, JSON_HEADERS);
    const denied = await makeStore()
      .put('widgets', 'widgets-1.0.0.tar.gz', tarball)
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(GitHubApiError);
    expect(denied).toMatchObject({ status: 401, body: badCredentials });
    expect((denied as GitHubApiError).message).toMatch(
      /GitHub answered 401 while looking up release widgets: Bad credentials/,
    );
    expect((denied as GitHubApiError).hint).toMatch(/contents: write/);
    expect((denied as GitHubApiError).where).toBe(`GET ${API}${R}/releases/tags/widgets`);

    missingRelease(api, 'widgets');
    api.get(`${R}/releases`).query({ per_page: '100' }).reply(404, notFoundBody(), JSON_HEADERS);
    const missing = await makeStore()
      .put('widgets', 'widgets-1.0.0.tar.gz', tarball)
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GitHubApiError);
    expect((missing as GitHubApiError).status).toBe(404);
    expect((missing as GitHubApiError).hint).toMatch(
      /repository acme\/registry-assets does not exist or the token cannot see it/,
    );
    api.done();
  });

  it('reads an asset back by its asset path and removes it (unpublish)', async () => {
    const api = nock(API);
    const objects = nock(OBJECTS);
    const tag = '@acme/widgets';
    existingRelease(api, tag, 2001, [assetBody(3001, tag, 'acme_widgets-1.0.0.tar.gz', tarball.length)]);
    downloads(api, objects, 3001, tarball);
    api.delete(`${R}/releases/assets/3001`).reply(204);
    // Unpublishing also looks for the version's own release (the per-version layout), twice: there is none.
    missingRelease(api, '@acme/widgets@1.0.0');
    missingRelease(api, '@acme/widgets@1.0.0');

    const store = makeStore();
    const asset = githubAssetPath(tag, 'acme_widgets-1.0.0.tar.gz');
    expect(await store.get(asset)).toEqual(tarball);
    expect(await store.get(githubAssetPath(tag, 'acme_widgets-9.0.0.tar.gz'))).toBeUndefined();
    expect(await store.remove(tag, 'acme_widgets-1.0.0.tar.gz')).toBe(true);
    expect(await store.find(tag, 'acme_widgets-1.0.0.tar.gz')).toBeUndefined();
    expect(await store.remove(tag, 'acme_widgets-1.0.0.tar.gz')).toBe(false);
    api.done();
    objects.done();
  });

  it('clears an upload that never finished (state open, no bytes to lose) and uploads again', async () => {
    const api = nock(API);
    const up = nock(UPLOADS);
    existingRelease(api, 'widgets', 2001, [assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', 0, 'open')]);
    api.delete(`${R}/releases/assets/3001`).reply(204);
    uploads(up, 2001, 'widgets-1.0.0.tar.gz', tarball, 'application/gzip').reply(
      201,
      assetBody(3002, 'widgets', 'widgets-1.0.0.tar.gz', tarball.length),
      JSON_HEADERS,
    );

    const store = makeStore();
    expect(await store.find('widgets', 'widgets-1.0.0.tar.gz')).toBeUndefined();
    expect((await store.put('widgets', 'widgets-1.0.0.tar.gz', tarball)).status).toBe('created');
    api.done();
    up.done();
  });

  it('refuses asset paths and names it did not make, before any request', async () => {
    const store = makeStore();
    for (const asset of [
      '@acme/widgets/x.tar.gz',
      '%40acme%2fwidgets/x.tar.gz',
      '../x.tar.gz',
      'widgets/../x.tar.gz',
      'widgets/.x',
      'widgets.1/x.tar.gz',
      '%zz/x.tar.gz',
    ]) {
      await expect(store.get(asset), asset).rejects.toBeInstanceOf(InputError);
    }
    await expect(store.put('widgets', '../x.tar.gz', tarball)).rejects.toBeInstanceOf(InputError);
    await expect(store.put('Not A Name', 'x.tar.gz', tarball)).rejects.toBeInstanceOf(InputError);
  });
});
