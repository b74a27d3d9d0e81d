/**
 * GitHub's Releases API for one repository, served on loopback for a process nock cannot reach
 * (a workflow step running the installed CLI, pointed here by GITHUB_API_URL). It answers with the
 * shapes recorded from GitHub (`@octokit/fixtures`, through github-fixtures.ts), keeps what was
 * uploaded, and refuses what GitHub refuses: an unauthenticated write, a duplicate tag or asset name.
 * It also answers which merged pull request a commit came from (and its reviews: none), from `pulls`,
 * with GitHub's pull request object (`@octokit/webhooks-examples`). For `granary automerge` it serves the
 * default branch's `files` (raw, or a folder's listing in the recorded shape), and the `pullRequests`,
 * `checkRuns`, `comments` and `pullFiles` the test puts in (GitHub's objects, built by the test), and
 * merges as GitHub does: only an open pull request, and only the head named by `sha` (else 409). With
 * GITHUB_SERVER_URL pointed at it, it serves a published asset from its browser URL
 * (`/OWNER/REPO/releases/download/TAG/FILE`) and counts the download in the asset's `download_count`.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { checkGitHubRequest, checkGitHubResponse } from './github-contract.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assetAlreadyExistsBody,
  assetBody,
  notFoundBody,
  recorded,
  releaseAlreadyExistsBody,
  releaseBody,
  repositoryBody,
  SINCE_RECORDED,
  type Json,
} from '../stores/github-fixtures.js';

export interface FakeRelease {
  id: number;
  tag: string;
  draft: boolean;
  /** Each asset's bytes and `download_count` (one more for each download from its browser URL). */
  assets: Map<string, { id: number; bytes: Buffer; downloads: number }>;
}

export interface FakeGitHubReleases {
  /** The API base URL (`GITHUB_API_URL`), no trailing slash. */
  readonly url: string;
  readonly releases: Map<string, FakeRelease>;
  /** Merged pull requests by merge commit sha. */
  readonly pulls: Map<string, { number: number; author: string; headSha: string }>;
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
  /** The default branch's files (path → text): GET /contents/{path} serves a file raw, a folder as its listing. */
  readonly files: Map<string, string>;
  /** The repository's pull requests by number, as GitHub's pull request objects (GET /pulls lists the open ones). */
  readonly pullRequests: Map<number, Json>;
  /** Check runs by head commit, and each pull request's comments and changed files: GitHub's objects. */
  readonly checkRuns: Map<string, Json[]>;
  readonly comments: Map<number, Json[]>;
  readonly pullFiles: Map<number, Json[]>;
  /** Every merge GitHub accepted (PUT /pulls/{n}/merge): the pull request, the `sha` it named, the method. */
  readonly merges: Array<{ number: number; sha: string | undefined; method: string | undefined }>;
  /** Immutable releases on: an upload to a published (not draft) release is refused, as GitHub does. */
  immutable: boolean;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const PULL_REQUEST = (
  require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
    name: string;
    examples: Json[];
  }>
)
  .find((e) => e.name === 'pull_request')!
  .examples.find((x) => x['pull_request'] !== undefined)!['pull_request'] as Json;
Object.assign(PULL_REQUEST, SINCE_RECORDED.pullRequest);

/** GitHub's digest of an uploaded asset. */
const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Git's id of a blob with these contents (what the contents API calls a file's `sha`). */
const blobSha = (text: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');

/** One entry of a folder's listing (recorded: get-content #0), for `path` of `owner/repo` on `branch`. */
function contentEntry(owner: string, repo: string, branch: string, path: string, text: string | undefined): Json {
  const recordedEntry = (recorded('get-content', 0).response as Json[])[0]!;
  // A folder's tree id is made up (nothing here reads it); a file's is its blob's.
  const sha = blobSha(text ?? path);
  const api = `https://api.github.com/repos/${owner}/${repo}`;
  const html = `https://github.com/${owner}/${repo}/${text === undefined ? 'tree' : 'blob'}/${branch}/${path}`;
  return {
    ...recordedEntry,
    name: path.split('/').at(-1)!,
    path,
    sha,
    size: text === undefined ? 0 : Buffer.byteLength(text),
    type: text === undefined ? 'dir' : 'file',
    url: `${api}/contents/${path}?ref=${branch}`,
    html_url: html,
    git_url: `${api}/git/${text === undefined ? 'trees' : 'blobs'}/${sha}`,
    download_url: text === undefined ? null : `https://raw.githubusercontent.com/${owner}/${repo}/${branch}/${path}`,
    _links: {
      self: `${api}/contents/${path}?ref=${branch}`,
      git: `${api}/git/${text === undefined ? 'trees' : 'blobs'}/${sha}`,
      html,
    },
  };
}

/** Serve `owner/repo`'s releases; writes need `authorization: token|bearer <token>`. */
export async function fakeGitHubReleases(owner: string, repo: string, token: string): Promise<FakeGitHubReleases> {
  const releases = new Map<string, FakeRelease>();
  const pulls = new Map<string, { number: number; author: string; headSha: string }>();
  const files = new Map<string, string>();
  const pullRequests = new Map<number, Json>();
  const checkRuns = new Map<string, Json[]>();
  const comments = new Map<number, Json[]>();
  const pullFiles = new Map<number, Json[]>();
  const merges: FakeGitHubReleases['merges'] = [];
  const requests: string[] = [];
  let nextId = 1000;
  const base = `/repos/${owner}/${repo}`;

  /** The request each response answers, for the contract check of what this fake sends. */
  const answering = new WeakMap<ServerResponse, { method: string; url: URL }>();
  const send = (
    res: ServerResponse,
    status: number,
    body: Json | Json[] | Buffer,
    contentType = Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json; charset=utf-8',
  ) => {
    const request = answering.get(res);
    if (request !== undefined && !Buffer.isBuffer(body)) checkGitHubResponse(request.method, request.url, status, body);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': bytes.byteLength,
    });
    res.end(bytes);
  };
  const releaseJson = (r: FakeRelease): Json => ({
    ...releaseBody(r.id, r.tag),
    draft: r.draft,
    upload_url: `${server.url}${base}/releases/${r.id}/assets{?name,label}`,
    assets: [...r.assets.entries()].map(([name, a]) => ({
      ...assetBody(a.id, r.tag, name, a.bytes.byteLength, 'uploaded', digestOf(a.bytes)),
      download_count: a.downloads,
    })),
  });
  const byId = (id: number) => [...releases.values()].find((r) => r.id === id);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    // A published release's asset from its browser URL (GITHUB_SERVER_URL pointed here), as clients download it.
    const download = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && download && download[1] === owner && download[2] === repo) {
      const release = releases.get(decodeURIComponent(download[3]!));
      const a = release && !release.draft ? release.assets.get(download[4]!) : undefined;
      if (a === undefined) return send(res, 404, Buffer.from('Not Found'), 'text/plain');
      a.downloads++;
      return send(res, 200, a.bytes);
    }
    // Whoever calls it (this process, or an installed CLI in a child), it is held to GitHub's API description.
    const asGitHub = new URL(`${url.pathname}${url.search}`, 'https://api.github.com');
    checkGitHubRequest(method, asGitHub, body.length > 0 && body[0] === 0x7b ? body.toString('utf8') : undefined);
    answering.set(res, { method, url: asGitHub });
    if (method !== 'GET' && !/^(token|bearer) /i.test(req.headers.authorization ?? ''))
      return send(res, 401, { message: 'Requires authentication' });
    if (method !== 'GET' && !(req.headers.authorization ?? '').endsWith(` ${token}`))
      return send(res, 401, { message: 'Bad credentials' });
    if (!url.pathname.startsWith(base)) return send(res, 404, notFoundBody());
    const path = url.pathname.slice(base.length);
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '') return send(res, 200, repositoryBody());
    if (method === 'GET' && (m = path.match(/^\/commits\/([0-9a-f]{40})\/pulls$/))) {
      const pr = pulls.get(m[1]!);
      if (pr === undefined) return send(res, 200, []);
      return send(res, 200, [
        {
          ...PULL_REQUEST,
          number: pr.number,
          state: 'closed',
          user: { ...(PULL_REQUEST['user'] as Json), login: pr.author },
          head: { ...(PULL_REQUEST['head'] as Json), sha: pr.headSha },
          merged_at: '2024-05-01T12:00:00Z',
          merge_commit_sha: m[1]!,
        },
      ]);
    }
    if (method === 'GET' && /^\/pulls\/\d+\/reviews$/.test(path)) return send(res, 200, []);
    if (method === 'GET' && path === '/pulls') {
      const state = url.searchParams.get('state') ?? 'open';
      const baseRef = url.searchParams.get('base');
      return send(
        res,
        200,
        [...pullRequests.values()].filter(
          (pr) =>
            (state === 'all' || pr['state'] === state) &&
            (baseRef === null || (pr['base'] as Json | undefined)?.['ref'] === baseRef),
        ),
      );
    }
    if (method === 'GET' && (m = path.match(/^\/pulls\/(\d+)\/files$/)))
      return send(res, 200, pullFiles.get(Number(m[1])) ?? []);
    if (method === 'GET' && (m = path.match(/^\/issues\/(\d+)\/comments$/)))
      return send(res, 200, comments.get(Number(m[1])) ?? []);
    if (method === 'GET' && (m = path.match(/^\/commits\/([^/]+)\/check-runs$/))) {
      const name = url.searchParams.get('check_name');
      const runs = (checkRuns.get(decodeURIComponent(m[1]!)) ?? []).filter((r) => name === null || r['name'] === name);
      return send(res, 200, { total_count: runs.length, check_runs: runs });
    }
    if (method === 'PUT' && (m = path.match(/^\/pulls\/(\d+)\/merge$/))) {
      const number = Number(m[1]);
      const pr = pullRequests.get(number);
      if (pr === undefined) return send(res, 404, notFoundBody());
      if (pr['state'] !== 'open') return send(res, 405, { message: 'Pull Request is not mergeable' });
      const input = (body.length > 0 ? JSON.parse(body.toString()) : {}) as { sha?: string; merge_method?: string };
      const head = (pr['head'] as Json)['sha'];
      if (input.sha !== undefined && input.sha !== head)
        return send(res, 409, { message: 'Head branch was modified. Review and try the merge again.' });
      const sha = blobSha(`merge of #${number} at ${String(head)}`);
      pullRequests.set(number, { ...pr, state: 'closed', merged_at: new Date().toISOString(), merge_commit_sha: sha });
      merges.push({ number, sha: input.sha, method: input.merge_method });
      return send(res, 200, { sha, merged: true, message: 'Pull Request successfully merged' });
    }
    if (method === 'GET' && (m = path.match(/^\/contents\/(.+)$/))) {
      // The default branch only; GitHub answers 404 for a ref it does not have as well.
      const ref = url.searchParams.get('ref');
      if (ref !== null && ref !== 'main' && ref !== 'refs/heads/main') return send(res, 404, notFoundBody());
      const file = decodeURIComponent(m[1]!).replace(/\/$/, '');
      const text = files.get(file);
      if (text !== undefined) {
        if (!/\.raw\b|vnd\.github\.raw/.test(req.headers.accept ?? ''))
          return send(res, 406, { message: 'this fake serves files raw only (Accept: application/vnd.github.raw)' });
        return send(res, 200, Buffer.from(text), 'application/vnd.github.v3.raw; charset=utf-8');
      }
      const children = new Map<string, string | undefined>();
      for (const [p, t] of files)
        if (p.startsWith(`${file}/`)) {
          const rest = p.slice(file.length + 1);
          const name = rest.split('/')[0]!;
          children.set(`${file}/${name}`, rest.includes('/') ? undefined : t);
        }
      if (children.size === 0) return send(res, 404, notFoundBody());
      return send(
        res,
        200,
        [...children].map(([p, t]) => contentEntry(owner, repo, 'main', p, t)),
      );
    }
    if (method === 'GET' && (m = path.match(/^\/releases\/tags\/(.+)$/))) {
      const release = releases.get(decodeURIComponent(m[1]!));
      return release && !release.draft ? send(res, 200, releaseJson(release)) : send(res, 404, notFoundBody());
    }
    if (method === 'GET' && path === '/releases') return send(res, 200, [...releases.values()].map(releaseJson));
    if (method === 'POST' && path === '/releases') {
      const input = JSON.parse(body.toString()) as { tag_name: string; draft?: boolean };
      if (releases.has(input.tag_name)) return send(res, 422, releaseAlreadyExistsBody());
      const release: FakeRelease = {
        id: nextId++,
        tag: input.tag_name,
        draft: input.draft === true,
        assets: new Map(),
      };
      releases.set(release.tag, release);
      return send(res, 201, releaseJson(release));
    }
    if (method === 'PATCH' && (m = path.match(/^\/releases\/(\d+)$/))) {
      const release = byId(Number(m[1]));
      if (!release) return send(res, 404, notFoundBody());
      const input = JSON.parse(body.toString()) as { draft?: boolean };
      if (input.draft !== undefined) release.draft = input.draft;
      return send(res, 200, releaseJson(release));
    }
    if ((m = path.match(/^\/releases\/(\d+)\/assets$/))) {
      const release = byId(Number(m[1]));
      if (!release) return send(res, 404, notFoundBody());
      if (method === 'GET') return send(res, 200, releaseJson(release)['assets'] as Json[]);
      if (method === 'POST') {
        const name = url.searchParams.get('name') ?? '';
        if (server.immutable && !release.draft)
          return send(res, 422, {
            message: 'Cannot upload assets to an immutable release.',
            documentation_url: 'https://docs.github.com/rest/releases/assets#upload-a-release-asset',
            status: '422',
          });
        if (release.assets.has(name)) return send(res, 422, assetAlreadyExistsBody());
        const id = nextId++;
        release.assets.set(name, { id, bytes: body, downloads: 0 });
        return send(res, 201, {
          ...assetBody(id, release.tag, name, body.byteLength, 'uploaded', digestOf(body)),
          download_count: 0,
        });
      }
    }
    if (method === 'DELETE' && (m = path.match(/^\/releases\/(\d+)$/))) {
      const release = byId(Number(m[1]));
      if (!release) return send(res, 404, notFoundBody());
      releases.delete(release.tag);
      return send(res, 204, Buffer.alloc(0));
    }
    if (method === 'DELETE' && (m = path.match(/^\/releases\/assets\/(\d+)$/))) {
      for (const release of releases.values())
        for (const [name, a] of release.assets)
          if (a.id === Number(m[1])) {
            if (server.immutable && !release.draft)
              return send(res, 422, { message: 'Cannot delete assets of an immutable release.', status: '422' });
            release.assets.delete(name);
            return send(res, 204, Buffer.alloc(0));
          }
      return send(res, 404, notFoundBody());
    }
    if (method === 'GET' && (m = path.match(/^\/releases\/assets\/(\d+)$/))) {
      for (const release of releases.values())
        for (const a of release.assets.values()) if (a.id === Number(m[1])) return send(res, 200, a.bytes);
      return send(res, 404, notFoundBody());
    }
    return send(res, 404, notFoundBody());
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: FakeGitHubReleases = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    releases,
    pulls,
    files,
    pullRequests,
    checkRuns,
    comments,
    pullFiles,
    merges,
    requests,
    immutable: false,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
  return server;
}
