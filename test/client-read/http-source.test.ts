import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { type GranaryError, LimitError, SourceError } from '../../core/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleIndex } from './build-index.js';
import { serveIndex } from './loopback-server.js';

const fast = { retryDelayMs: 5 };

describe('http source', () => {
  it('a second client with the same cache makes one request when nothing changed: timestamp.json, answered 304', async () => {
    const built = await sampleIndex();
    const server = await serveIndex(built.files);
    const cacheDir = await tempDir();
    const first = await openRegistry(server.url, { cwd: cacheDir, cacheDir, trustKey: built.key.publicKey }, fast);
    expect((await first.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '1.1.0']);
    const before = server.log.length;
    const second = await openRegistry(server.url, { cwd: cacheDir, cacheDir, trustKey: built.key.publicKey }, fast);
    expect((await second.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '1.1.0']);
    const again = server.log.slice(before);
    expect(again.map((r) => `${r.path} ${r.status}`)).toEqual(['metadata/timestamp.json 304']);
    expect(again[0]!.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
  });

  it('retries a 502 and then succeeds', async () => {
    const built = await sampleIndex();
    const server = await serveIndex(built.files);
    server.failNext('metadata/timestamp.json', 502, 2);
    const registry = await openRegistry(server.url, { cwd: '/', trustKey: built.key.publicKey }, fast);
    expect(registry.config.name).toBe('test');
    expect(server.log.filter((r) => r.path === 'metadata/timestamp.json').map((r) => r.status)).toEqual([
      502, 502, 200,
    ]);
  });

  it('gives up after a bounded number of attempts, naming the URL', async () => {
    const built = await sampleIndex();
    const server = await serveIndex(built.files);
    server.failNext('metadata/timestamp.json', 503, 100);
    const error = await openRegistry(server.url, { cwd: '/' }, { ...fast, attempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).where).toBe(`${server.url}metadata/timestamp.json`);
    expect((error as Error).message).toMatch(/HTTP 503.*3 attempts/);
    expect(server.log.filter((r) => r.path === 'metadata/timestamp.json')).toHaveLength(3);
  });

  it('names the URL when a required file is missing (404), but treats a package the bins do not list as unknown', async () => {
    const built = await sampleIndex();
    built.files.delete('metadata/1.root.json');
    const server = await serveIndex(built.files);
    const error = await openRegistry(server.url, { cwd: '/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as GranaryError).where).toBe(`${server.url}metadata/1.root.json`);

    const ok = await sampleIndex();
    const server2 = await serveIndex(ok.files);
    const registry = await openRegistry(server2.url, { cwd: '/', trustKey: ok.key.publicKey });
    expect(await registry.lines('nope')).toEqual([]);
    // Its bin says there is no such file: nothing is asked for at its path.
    expect(server2.log.filter((r) => r.path.startsWith('no/pe/'))).toEqual([]);
  });

  it('refuses a response larger than the size cap', async () => {
    const built = await sampleIndex();
    const hashed = [...built.files.keys()].find((p) => /^1\/[0-9a-f]{64}\.a$/.test(p))!;
    built.files.set(hashed, built.files.get(hashed)!.repeat(50));
    const server = await serveIndex(built.files);
    const registry = await openRegistry(server.url, { cwd: '/' }, { maxBytes: 4096 });
    await expect(registry.lines('a')).rejects.toBeInstanceOf(LimitError);
  });

  it('resolves relative asset bases against the index URL', async () => {
    const built = await sampleIndex({ assetBase: '../assets' });
    const server = await serveIndex(built.files);
    const registry = await openRegistry(server.url, { cwd: '/', trustKey: built.key.publicKey });
    expect((await registry.assets())('a/a-1.0.0.tar.gz')).toBe(
      `${server.url.replace(/registry\/$/, '')}assets/a/a-1.0.0.tar.gz`,
    );
    const locate = await registry.assets();
    expect(() => locate('../x/a.tar.gz')).toThrow(/asset path/);
  });
});
