import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { type GranaryError, LimitError, SourceError } from '../../core/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleIndex } from './build-index.js';
import { serveIndex } from './loopback-server.js';

const fast = { retryDelayMs: 5 };

describe('http source', () => {
  it('revalidates with ETags: a second read of the same file is answered 304 from the disk cache', async () => {
    const built = sampleIndex();
    const server = await serveIndex(built.files);
    const cacheDir = await tempDir();
    const first = await openRegistry(server.url, { cwd: cacheDir, cacheDir, trustKey: built.key.publicKey }, fast);
    expect((await first.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '1.1.0']);
    const second = await openRegistry(server.url, { cwd: cacheDir, cacheDir, trustKey: built.key.publicKey }, fast);
    expect((await second.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '1.1.0']);
    const forA = server.log.filter((r) => r.path === '1/a');
    expect(forA.map((r) => r.status)).toEqual([200, 304]);
    expect(forA[1]!.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
    expect(server.log.filter((r) => r.path === 'config.json').map((r) => r.status)).toEqual([200, 304]);
  });

  it('retries a 502 and then succeeds', async () => {
    const built = sampleIndex();
    const server = await serveIndex(built.files);
    server.failNext('config.json', 502, 2);
    const registry = await openRegistry(server.url, { cwd: '/', trustKey: built.key.publicKey }, fast);
    expect(registry.config.name).toBe('test');
    expect(server.log.filter((r) => r.path === 'config.json').map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('gives up after a bounded number of attempts, naming the URL', async () => {
    const built = sampleIndex();
    const server = await serveIndex(built.files);
    server.failNext('config.json', 503, 100);
    const error = await openRegistry(server.url, { cwd: '/' }, { ...fast, attempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).where).toBe(`${server.url}config.json`);
    expect((error as Error).message).toMatch(/HTTP 503.*3 attempts/);
    expect(server.log.filter((r) => r.path === 'config.json')).toHaveLength(3);
  });

  it('names the URL when a required file is missing (404), but treats a missing package file as an unknown package', async () => {
    const built = sampleIndex();
    built.files.delete('config.json');
    const server = await serveIndex(built.files);
    const error = await openRegistry(server.url, { cwd: '/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as GranaryError).where).toBe(`${server.url}config.json`);

    const ok = sampleIndex();
    const server2 = await serveIndex(ok.files);
    const registry = await openRegistry(server2.url, { cwd: '/', trustKey: ok.key.publicKey });
    expect(await registry.lines('nope')).toEqual([]);
    expect(server2.log.find((r) => r.path === '4/no/pe' || r.path === 'no/pe/nope')?.status).toBe(404);
  });

  it('refuses a response larger than the size cap', async () => {
    const built = sampleIndex();
    built.files.set('1/a', built.files.get('1/a')!.repeat(50));
    const server = await serveIndex(built.files);
    const registry = await openRegistry(server.url, { cwd: '/' }, { maxBytes: 4096 });
    await expect(registry.lines('a')).rejects.toBeInstanceOf(LimitError);
  });

  it('resolves relative asset bases against the index URL', async () => {
    const built = sampleIndex({ assetBase: '../assets' });
    const server = await serveIndex(built.files);
    const registry = await openRegistry(server.url, { cwd: '/', trustKey: built.key.publicKey });
    expect(registry.assetUrl('a/a-1.0.0.tar.gz')).toBe(
      `${server.url.replace(/registry\/$/, '')}assets/a/a-1.0.0.tar.gz`,
    );
    expect(() => registry.assetUrl('../x/a.tar.gz')).toThrow(/asset path/);
  });
});
