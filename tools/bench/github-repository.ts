/**
 * A loopback GitHub serving one local git repository, for counting what the app asks of GitHub: the
 * git trees, blobs and archive of any commit, raw file contents at a branch, one pull request's files
 * (from `git diff`), no reviews, check runs and issue comments accepted, installation tokens for any
 * installation. Every request is recorded; the archive is served by a redirect to a second path, as
 * GitHub sends it to codeload, which is recorded apart (it is not an API request).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runGit } from '../../core/git/run.js';

export interface PullRequestFixture {
  number: number;
  baseSha: string;
  headSha: string;
}

export interface GitHubRepository {
  /** The API base URL, no trailing slash. */
  readonly url: string;
  /** `METHOD path` of every API request, in order. */
  readonly requests: string[];
  /** Archive downloads the API redirected to (not API requests). */
  readonly downloads: string[];
  /** The bodies of the check runs created. */
  readonly checkRuns: Array<{ name: string; conclusion?: string; output?: { title?: string; summary?: string } }>;
  pulls: Map<number, PullRequestFixture>;
  close(): Promise<void>;
}

const git = async (dir: string, args: string[]): Promise<Buffer> =>
  (await runGit(dir, args, { maxOutputBytes: 1024 * 1024 * 1024, timeoutMs: 120_000 })).stdout;

/** Serve `owner/repo` from the repository at `dir`. */
export async function serveGitHubRepository(dir: string, owner: string, repo: string): Promise<GitHubRepository> {
  const requests: string[] = [];
  const downloads: string[] = [];
  const checkRuns: GitHubRepository['checkRuns'] = [];
  const pulls = new Map<number, PullRequestFixture>();
  const base = `/repos/${owner}/${repo}`;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
    res.end(bytes);
  };
  const notFound = (res: ServerResponse) => json(res, 404, { message: 'Not Found', status: '404' });

  const tree = async (sha: string) => {
    const listing = (await git(dir, ['ls-tree', '-r', '-t', '-l', '--full-tree', sha])).toString('utf8');
    return listing
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, object, size] = line.slice(0, tab).split(/\s+/) as [string, string, string, string];
        return {
          path: line.slice(tab + 1),
          mode,
          type,
          sha: object,
          ...(type === 'blob' ? { size: Number(size) } : {}),
        };
      });
  };

  const pullFiles = async (pr: PullRequestFixture) => {
    const raw = (
      await git(dir, ['diff', '--raw', '--no-abbrev', '--no-renames', '-z', pr.baseSha, pr.headSha])
    ).toString('utf8');
    const fields = raw.split('\0').filter(Boolean);
    const out = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [, , , after, status] = fields[i]!.slice(1).split(' ') as [string, string, string, string, string];
      out.push({
        sha: /^0+$/.test(after) ? null : after,
        filename: fields[i + 1]!,
        status: status === 'A' ? 'added' : status === 'D' ? 'removed' : 'modified',
      });
    }
    return out;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let m: RegExpMatchArray | null;
    if ((m = url.pathname.match(/^\/_codeload\/([0-9a-f]{40})$/))) {
      downloads.push(url.pathname);
      const archive = await git(dir, [
        'archive',
        '--format=tar.gz',
        `--prefix=${owner}-${repo}-${m[1]!.slice(0, 7)}/`,
        m[1]!,
      ]);
      res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': archive.length });
      return void res.end(archive);
    }
    requests.push(`${method} ${url.pathname}`);
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(url.pathname))
      return json(res, 201, { token: 'ghs_bench', expires_at: '2099-01-01T00:00:00Z', permissions: {} });
    if (!url.pathname.startsWith(base)) return notFound(res);
    const path = url.pathname.slice(base.length);
    if (method === 'GET' && (m = path.match(/^\/git\/trees\/([0-9a-f]{40})$/)))
      return json(res, 200, { sha: m[1], tree: await tree(m[1]!), truncated: false });
    if (method === 'GET' && (m = path.match(/^\/git\/blobs\/([0-9a-f]{40})$/))) {
      const content = await git(dir, ['cat-file', 'blob', m[1]!]);
      return json(res, 200, {
        sha: m[1],
        size: content.length,
        content: content.toString('base64'),
        encoding: 'base64',
      });
    }
    if (method === 'GET' && (m = path.match(/^\/tarball\/([0-9a-f]{40})$/))) {
      const commit = (await git(dir, ['rev-parse', '--verify', `${m[1]!}^{commit}`])).toString('utf8').trim();
      res.writeHead(302, { location: `http://${req.headers.host}/_codeload/${commit}`, 'content-length': 0 });
      return void res.end();
    }
    if (method === 'GET' && (m = path.match(/^\/contents\/(.+)$/))) {
      const ref = url.searchParams.get('ref') ?? 'HEAD';
      const exists = await runGit(dir, ['cat-file', '-e', `${ref}:${decodeURIComponent(m[1]!)}`], {
        okCodes: [128, 1],
      });
      if (exists.code !== 0) return notFound(res);
      const content = await git(dir, ['cat-file', 'blob', `${ref}:${decodeURIComponent(m[1]!)}`]);
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw', 'content-length': content.length });
      return void res.end(content);
    }
    if (method === 'GET' && (m = path.match(/^\/pulls\/(\d+)\/files$/))) {
      const pr = pulls.get(Number(m[1]));
      return pr ? json(res, 200, await pullFiles(pr)) : notFound(res);
    }
    if (method === 'GET' && /^\/pulls\/\d+\/reviews$/.test(path)) return json(res, 200, []);
    if (method === 'POST' && path === '/check-runs') {
      checkRuns.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GitHubRepository['checkRuns'][number]);
      return json(res, 201, { id: checkRuns.length, html_url: '' });
    }
    if (method === 'GET' && /^\/issues\/\d+\/comments$/.test(path)) return json(res, 200, []);
    if (method === 'POST' && /^\/issues\/\d+\/comments$/.test(path)) return json(res, 201, { id: 1 });
    return notFound(res);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    requests,
    downloads,
    checkRuns,
    pulls,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
