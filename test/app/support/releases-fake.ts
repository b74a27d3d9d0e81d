// GitHub Releases as nock answers with state: a release appears when created, assets when uploaded (embedded in
// the release, with the download counts a test sets, as GitHub lists them), and an asset downloads from its
// browser URL on github.com. Shapes from @octokit/fixtures.
import { createRequire } from 'node:module';
import nock from 'nock';
import { SINCE_RECORDED } from '../../stores/github-fixtures.js';
import { API, OWNER, REPO } from './github.js';

const require = createRequire(import.meta.url);
const releaseFixture =
  require('@octokit/fixtures/scenarios/api.github.com/release-assets/normalized-fixture.json') as Array<{
    response: any;
  }>;
const repoFixture =
  require('@octokit/fixtures/scenarios/api.github.com/get-repository/normalized-fixture.json') as Array<{
    response: any;
  }>;

export const UPLOADS = 'https://uploads.github.com';

export interface FakeReleases {
  /** Whether the package's release is a draft (undefined: no release). */
  draft(tag: string): boolean | undefined;
  /** Uploaded assets by release tag and file name. */
  assets: Map<string, Map<string, Buffer>>;
  /** Upload attempts answered with a failure status. */
  failedUploads: number;
  /** Each asset's `download_count`, by `<tag>/<file name>` (0 unless set). */
  downloads: Map<string, number>;
  scopes: nock.Scope[];
}

/** An upload refused: a status (with GitHub's 5xx body), or a whole answer (status, body, headers). */
export type UploadFailure = number | { status: number; body: Record<string, unknown>; headers: Record<string, string> };

/** GitHub's answer when a client exceeds a secondary rate limit (403, with `retry-after`). */
export const SECONDARY_RATE_LIMIT: UploadFailure = {
  status: 403,
  body: {
    message:
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
    documentation_url:
      'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  },
  headers: { 'retry-after': '1' },
};

/** Serve the release calls of the GitHub store; `uploadFailures(name, attempt)` returns how to refuse an upload. */
export function fakeReleases(
  uploadFailures: (name: string, attempt: number) => UploadFailure | undefined = () => undefined,
): FakeReleases {
  const state: FakeReleases = {
    assets: new Map(),
    failedUploads: 0,
    downloads: new Map(),
    scopes: [],
    draft: (tag) => releases.get(tag)?.draft,
  };
  const releases = new Map<string, { id: number; tag: string; draft: boolean }>();
  const attempts = new Map<string, number>();
  const releaseJson = (r: { id: number; tag: string; draft: boolean }) => ({
    ...releaseFixture[0]!.response,
    id: r.id,
    draft: r.draft,
    tag_name: r.tag,
    name: r.tag,
    url: `${API}/repos/${OWNER}/${REPO}/releases/${r.id}`,
    assets_url: `${API}/repos/${OWNER}/${REPO}/releases/${r.id}/assets`,
    upload_url: `${UPLOADS}/repos/${OWNER}/${REPO}/releases/${r.id}/assets{?name,label}`,
    html_url: `https://github.com/${OWNER}/${REPO}/releases/tag/${r.tag}`,
    assets: [...(state.assets.get(r.tag) ?? new Map<string, Buffer>()).entries()].map(([name, bytes], i) =>
      assetJson(2000 + i, name, bytes.length, r.tag),
    ),
  });
  const assetJson = (id: number, name: string, size: number, tag: string) => ({
    ...releaseFixture[1]!.response,
    ...SINCE_RECORDED.asset,
    id,
    name,
    label: null,
    size,
    state: 'uploaded',
    content_type: 'application/gzip',
    download_count: state.downloads.get(`${tag}/${name}`) ?? 0,
  });

  const api = nock(API).persist();
  api.get(new RegExp(`^/repos/${OWNER}/${REPO}/releases/tags/(.+)$`)).reply((uri) => {
    const tag = decodeURIComponent(uri.slice(uri.indexOf('/tags/') + 6));
    const r = releases.get(tag);
    // GitHub finds no draft by its tag: the tag does not exist until the release is published.
    return r && !r.draft
      ? [200, releaseJson(r)]
      : [
          404,
          {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name',
          },
        ];
  });
  api.get(`/repos/${OWNER}/${REPO}`).reply(200, {
    ...repoFixture[0]!.response,
    ...SINCE_RECORDED.repository,
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    default_branch: 'main',
  });
  api
    .get(`/repos/${OWNER}/${REPO}/releases`)
    .query(true)
    .reply(() => [200, [...releases.values()].map(releaseJson)]);
  api.patch(new RegExp(`^/repos/${OWNER}/${REPO}/releases/(\\d+)$`)).reply((uri, body) => {
    const id = Number(/releases\/(\d+)$/.exec(uri)![1]);
    const r = [...releases.values()].find((x) => x.id === id);
    if (!r) return [404, { message: 'Not Found' }];
    const draft = (body as { draft?: boolean }).draft;
    if (draft !== undefined) r.draft = draft;
    return [200, releaseJson(r)];
  });
  api.post(`/repos/${OWNER}/${REPO}/releases`).reply((_uri, body) => {
    const tag = (body as { tag_name: string }).tag_name;
    const r = { id: 1000 + releases.size, tag, draft: (body as { draft?: boolean }).draft === true };
    releases.set(tag, r);
    state.assets.set(tag, new Map());
    return [201, releaseJson(r)];
  });
  api.get(new RegExp(`^/repos/${OWNER}/${REPO}/releases/(\\d+)/assets`)).reply((uri) => {
    const id = Number(/releases\/(\d+)\/assets/.exec(uri)![1]);
    const r = [...releases.values()].find((x) => x.id === id);
    const files = r ? [...(state.assets.get(r.tag) ?? new Map<string, Buffer>()).entries()] : [];
    return [200, files.map(([name, bytes], i) => assetJson(2000 + i, name, bytes.length, r?.tag ?? ''))];
  });
  const uploads = nock(UPLOADS).persist();
  uploads.post(new RegExp(`^/repos/${OWNER}/${REPO}/releases/(\\d+)/assets`)).reply(function (uri, body) {
    const url = new URL(uri, UPLOADS);
    const name = url.searchParams.get('name')!;
    const attempt = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, attempt);
    const failure = uploadFailures(name, attempt);
    if (failure !== undefined) {
      state.failedUploads++;
      return typeof failure === 'number'
        ? [failure, { message: 'Server Error' }]
        : [failure.status, failure.body, failure.headers];
    }
    const id = Number(/releases\/(\d+)\/assets/.exec(url.pathname)![1]);
    const r = [...releases.values()].find((x) => x.id === id)!;
    const bytes =
      typeof body === 'string'
        ? /^[0-9a-f]*$/.test(body) && body.length % 2 === 0 && !name.endsWith('.sha256')
          ? Buffer.from(body, 'hex')
          : Buffer.from(body)
        : Buffer.from(JSON.stringify(body));
    state.assets.get(r.tag)!.set(name, bytes);
    return [201, assetJson(2000 + state.assets.get(r.tag)!.size, name, bytes.length, r.tag)];
  });
  // Downloads from a published release's browser URL (what clients and the site builder fetch).
  const web = nock('https://github.com').persist();
  web.get(new RegExp(`^/${OWNER}/${REPO}/releases/download/([^/]+)/([^/]+)$`)).reply((uri) => {
    const [, tag, name] = /download\/([^/]+)\/([^/]+)$/.exec(uri)!;
    const r = releases.get(decodeURIComponent(tag!));
    const bytes = r && !r.draft ? state.assets.get(r.tag)?.get(name!) : undefined;
    return bytes ? [200, bytes, { 'content-type': 'application/octet-stream' }] : [404, 'Not Found'];
  });
  state.scopes.push(api, uploads, web);
  return state;
}
