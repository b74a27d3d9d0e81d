// `granary site serve`: a loopback static server for a built site — index pages, content types, a base path,
// and nothing outside the directory.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../cli/command.js';
import { memoryIo } from '../../cli/io.js';
import { runSiteServe } from '../../cli/commands/site-run.js';
import { main } from '../../cli/cli.js';
import { serveDirectory, type StaticServer } from '../../client/site/static-server.js';
import { tempDir } from '../helpers/tmp.js';

let server: StaticServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw request, so the path reaches the server exactly as written (fetch would normalize `..`). */
function raw(url: string, path: string): Promise<{ status: number; type: string; location: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request(`${url}${path}`, { path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          location: String(res.headers.location ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

async function smallSite(): Promise<{ base: string; root: string }> {
  const base = await tempDir('granary-serve-');
  const root = join(base, 'site');
  await mkdir(join(root, 'package', '@acme'), { recursive: true });
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<h1>home</h1>');
  await writeFile(join(root, 'package', '@acme', 'w.html'), '<h1>w</h1>');
  await writeFile(join(root, 'assets', 'site.css'), 'body{}');
  await writeFile(join(root, 'assets', 'search.js'), 'x;');
  await writeFile(join(root, '.granary-site.json'), '{}');
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  return { base, root };
}

describe('the site server', () => {
  it('serves pages, stylesheets and scripts with their content types, and directories by their index.html', async () => {
    const { root } = await smallSite();
    server = await serveDirectory(root, { indexFile: 'index.html' });
    expect(await raw(server.url, '/')).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<h1>home</h1>',
    });
    expect(await raw(server.url, '/package/@acme/w.html')).toMatchObject({ status: 200, body: '<h1>w</h1>' });
    expect(await raw(server.url, '/package/%40acme/w.html')).toMatchObject({ status: 200 });
    expect(await raw(server.url, '/assets/site.css')).toMatchObject({ type: 'text/css; charset=utf-8' });
    expect(await raw(server.url, '/assets/search.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
    expect(await raw(server.url, '/assets')).toMatchObject({ status: 301, location: '/assets/' });
  });

  it('refuses paths that lead outside the site, hidden files and links', async () => {
    const { root } = await smallSite();
    server = await serveDirectory(root, { indexFile: 'index.html' });
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%5c..%5c..%5csecret.txt',
      '/assets/link.txt',
      '/.granary-site.json',
      '/missing.html',
    ]) {
      const answer = await raw(server.url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain('secret');
    }
  });

  it('serves the site under a base path, as a static host would', async () => {
    const { root } = await smallSite();
    server = await serveDirectory(root, { indexFile: 'index.html', basePath: '/registry/' });
    expect(await raw(server.url, '/')).toMatchObject({ status: 302, location: '/registry/' });
    expect(await raw(server.url, '/registry')).toMatchObject({ status: 302, location: '/registry/' });
    expect(await raw(server.url, '/registry/')).toMatchObject({ status: 200, body: '<h1>home</h1>' });
    expect(await raw(server.url, '/registry/package/@acme/w.html')).toMatchObject({ status: 200 });
    expect(await raw(server.url, '/index.html')).toMatchObject({ status: 404 });
  });

  it('runs as `granary site serve` until stopped, and refuses a directory without a site', async () => {
    const { base } = await smallSite();
    const io = memoryIo({ cwd: base });
    const ctx = createContext(io);
    let stop!: () => void;
    const stopped = new Promise<void>((done) => (stop = done));
    const running = runSiteServe(ctx, 'site', { port: '0', basePath: '/x' }, () => stopped);
    await expect.poll(() => io.err.join('')).toMatch(/serving site at http:\/\/127\.0\.0\.1:\d+\/x\/ \(Ctrl-C stops\)/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)\/x\//.exec(io.err.join(''))![1]!;
    expect((await raw(url, '/x/')).body).toBe('<h1>home</h1>');
    stop();
    const result = await running;
    expect(result).toMatchObject({ ok: true, json: { requests: 1, byStatus: { 200: 1 } } });

    const empty = memoryIo({ cwd: base });
    expect(await main(['site', 'serve', '.'], empty)).toBe(2);
    expect(empty.err.join('')).toContain('there is no site here (no index.html)');
    expect(await main(['site', 'serve', 'site', '--port', '99999'], memoryIo({ cwd: base }))).toBe(2);
  });
});
