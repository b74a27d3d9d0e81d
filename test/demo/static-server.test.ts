// The demo's static server: files under its root and nothing else.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filePathFor, serveDirectory, type StaticServer } from '../../tools/demo/static-server.js';
import { tempDir } from '../helpers/tmp.js';

let server: StaticServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw request, so the path reaches the server exactly as written (fetch would normalize `..`). */
function raw(url: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(`${url}${path}`, { method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

async function site(): Promise<{ root: string; outside: string }> {
  const base = await tempDir('granary-static-');
  const root = join(base, 'site');
  const outside = join(base, 'secret.txt');
  await mkdir(join(root, 'index', 'gr', 'ee'), { recursive: true });
  await writeFile(join(root, 'index', 'config.json'), '{"name":"demo"}');
  await writeFile(join(root, 'index', 'gr', 'ee', 'greeter'), 'line\n');
  await writeFile(join(root, 'index', '.hidden'), 'hidden');
  await writeFile(outside, 'secret');
  await symlink(outside, join(root, 'index', 'link-out'));
  await symlink(join(root, 'index', 'config.json'), join(root, 'index', 'link-in'));
  await symlink(base, join(root, 'dir-out'));
  return { root, outside };
}

describe('serveDirectory', () => {
  it('serves files on 127.0.0.1 with their bytes and length', async () => {
    const { root } = await site();
    server = await serveDirectory(root);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/index/gr/ee/greeter`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('5');
    expect(await response.text()).toBe('line\n');
    const head = await raw(server.url, '/index/config.json', 'HEAD');
    expect(head).toEqual({ status: 200, body: '' });
  });

  it('answers 404 for missing files and directories (no listings), and for dot files', async () => {
    const { root } = await site();
    server = await serveDirectory(root);
    for (const path of ['/index/missing', '/index/', '/index', '/', '/index/gr/ee', '/index/.hidden']) {
      expect((await raw(server.url, path)).status, path).toBe(404);
    }
  });

  it('never serves anything outside the root: .. segments, encoded or not, and symbolic links', async () => {
    const { root } = await site();
    server = await serveDirectory(root);
    for (const path of [
      '/index/../../secret.txt',
      '/index/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/index/link-out',
      '/index/%5c..%5c..%5csecret.txt',
    ]) {
      const { status, body } = await raw(server.url, path);
      expect(status, path).toBe(404);
      expect(body).not.toContain('secret');
    }
    // Links are never served, even ones that stay inside the root; neither is a file reached through a linked directory.
    expect((await raw(server.url, '/index/link-in')).status).toBe(404);
    expect((await raw(server.url, '/dir-out/secret.txt')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const { root } = await site();
    server = await serveDirectory(root);
    expect((await raw(server.url, '/index/config.json', 'PUT')).status).toBe(405);
  });

  it('maps URL paths to files only when every segment is a plain name', () => {
    expect(filePathFor('/srv', '/index/gr/ee/greeter')).toBe('/srv/index/gr/ee/greeter');
    expect(filePathFor('/srv', '/index/%40scope/x')).toBe('/srv/index/@scope/x');
    for (const bad of ['/', '/a//b', '/a/../b', '/a/%2e%2e/b', '/a/%00', '/a/b%5cc', '/%E0%A4%A'])
      expect(filePathFor('/srv', bad), bad).toBeUndefined();
  });
});
