import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../core/errors.js';
import { digestOf } from '../../core/hash.js';
import { TarballCache } from '../../client/fetch/cache.js';
import { DownloadError } from '../../client/fetch/download-error.js';
import { readVerified, type ExpectedAsset } from '../../client/fetch/read-verified.js';
import { assetLocation, assetPathError } from '../../client/fetch/asset-path.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';

const noWait = { sleep: async () => undefined, backoffMs: 1 };
let server: StaticServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function served(bytes: Buffer): Promise<{ expected: ExpectedAsset; dir: string }> {
  const dir = await tempDir();
  await mkdir(join(dir, 'demo'));
  await writeFile(join(dir, 'demo', 'demo-1.0.0.tar.gz'), bytes);
  server = await serveDirectory(dir);
  const d = digestOf(bytes);
  return {
    dir,
    expected: { label: 'demo@1.0.0', location: `${server.url}/demo/demo-1.0.0.tar.gz`, sha256: d.sha256, size: d.size },
  };
}

function collect(): { chunks: Buffer[]; write: (c: Buffer) => void; reset: () => void; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    chunks,
    write: (c) => void chunks.push(c),
    reset: () => void (chunks.length = 0),
    bytes: () => Buffer.concat(chunks),
  };
}

const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251));

describe('readVerified over HTTP', () => {
  it('streams the asset through SHA-256 and returns its digest', async () => {
    const { expected } = await served(payload);
    const sink = collect();
    const digest = await readVerified(expected, sink, noWait);
    expect(digest.sha256).toBe(expected.sha256);
    expect(sink.bytes().equals(payload)).toBe(true);
  });

  it.each([
    ['a 503', { status: 503 }],
    ['a connection reset', 'reset'],
    ['a truncated body', 'truncate'],
  ] as const)('retries after %s and starts over', async (_what, fault) => {
    const { expected } = await served(payload);
    server!.setFault((_path, attempt) => (attempt === 1 ? fault : undefined));
    const sink = collect();
    await readVerified(expected, sink, noWait);
    expect(sink.bytes().equals(payload)).toBe(true);
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(2);
  });

  it('gives up on a hanging server after the idle timeout, then retries', async () => {
    const { expected } = await served(payload);
    server!.setFault((_path, attempt) => (attempt === 1 ? 'hang' : undefined));
    await readVerified(expected, collect(), { ...noWait, idleTimeoutMs: 150 });
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(2);
  });

  it('gives up on a server that trickles bytes, by a deadline from the expected size, and says retry', async () => {
    const { expected } = await served(payload);
    // Never idle (a byte every 20 ms), but 200,000 bytes at that pace would take over an hour.
    server!.setFault(() => ({ trickleMs: 20 }));
    const started = Date.now();
    const options = { ...noWait, retries: 1, idleTimeoutMs: 1_000, deadlineBaseMs: 300, minBytesPerSecond: 1_000_000 };
    const error = await readVerified(expected, collect(), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(
      /after 2 attempts: the download of 200000 bytes did not finish within/,
    );
    expect((error as DownloadError).hint).toMatch(/try again later/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(2);
  });

  it('bounds the retries and names the URL', async () => {
    const { expected } = await served(payload);
    server!.setFault(() => ({ status: 500 }));
    const error = await readVerified(expected, collect(), { ...noWait, retries: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/after 3 attempts: HTTP 500/);
    expect((error as DownloadError).where).toBe(expected.location);
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(3);
  });

  it('does not retry a 404, and says the asset is missing', async () => {
    const { expected } = await served(payload);
    const error = await readVerified(
      { ...expected, location: `${server!.url}/demo/nope.tar.gz` },
      collect(),
      noWait,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).missing).toBe(true);
    expect(server!.count('/demo/nope.tar.gz')).toBe(1);
  });

  it('refuses a changed byte with an integrity error naming package, URL, expected and actual hash', async () => {
    const tampered = Buffer.from(payload);
    tampered[1000] = tampered[1000]! ^ 1;
    const { expected } = await served(tampered);
    const error = (await readVerified({ ...expected, sha256: digestOf(payload).sha256 }, collect(), noWait).catch(
      (e: unknown) => e,
    )) as IntegrityError;
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.message).toContain('demo@1.0.0');
    expect(error.message).toContain(digestOf(payload).sha256);
    expect(error.message).toContain(digestOf(tampered).sha256);
    expect(error.where).toBe(expected.location);
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(1);
  });

  it('refuses an asset larger than recorded before reading it all', async () => {
    const { expected } = await served(payload);
    const sink = collect();
    const error = await readVerified({ ...expected, size: 100 }, sink, noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).message).toMatch(/larger than the 100 bytes/);
    expect(sink.chunks).toEqual([]);
  });
});

describe('readVerified from disk', () => {
  it('reads a directory base and stops at the recorded size', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.tar.gz'), payload);
    const d = digestOf(payload);
    await readVerified(
      { label: 'a@1.0.0', location: join(dir, 'a.tar.gz'), sha256: d.sha256, size: d.size },
      collect(),
    );
    await expect(
      readVerified(
        { label: 'a@1.0.0', location: `file://${join(dir, 'a.tar.gz')}`, sha256: d.sha256, size: 10 },
        collect(),
      ),
    ).rejects.toThrow(/larger than the 10 bytes/);
    const missing = await readVerified(
      { label: 'a@1.0.0', location: join(dir, 'b.tar.gz'), sha256: d.sha256, size: 1 },
      collect(),
    ).catch((e: unknown) => e);
    expect((missing as DownloadError).missing).toBe(true);
  });
});

describe('TarballCache', () => {
  it('enters verified bytes under sha256/<ab>/<hex>, serves hits without the network, and drops a damaged entry', async () => {
    const { expected } = await served(payload);
    const cache = new TarballCache(await tempDir());
    const first = await cache.get(expected, noWait);
    expect(first.fromCache).toBe(false);
    const path = cache.pathOf(expected.sha256);
    expect(path).toBe(join(cache.dir, 'sha256', expected.sha256.slice(0, 2), expected.sha256));
    expect((await readFile(path)).equals(payload)).toBe(true);
    expect(await readdir(join(cache.dir, 'tmp'))).toEqual([]);

    const second = await cache.get(expected, noWait);
    expect(second.fromCache).toBe(true);
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(1);

    const damaged = Buffer.from(payload);
    damaged[5] = damaged[5]! ^ 0xff;
    await writeFile(path, damaged);
    const third = await cache.get(expected, noWait);
    expect(third.fromCache).toBe(false);
    expect(third.bytes.equals(payload)).toBe(true);
    expect(server!.count('/demo/demo-1.0.0.tar.gz')).toBe(2);
  });

  it('never caches bytes that failed verification', async () => {
    const { expected } = await served(payload);
    const cache = new TarballCache(await tempDir());
    const wrong = { ...expected, sha256: 'f'.repeat(64) };
    await expect(cache.get(wrong, noWait)).rejects.toBeInstanceOf(IntegrityError);
    expect(await cache.has(wrong)).toBe(false);
    expect(await readdir(cache.dir)).toEqual([]);
  });
});

describe('asset paths', () => {
  it('refuses paths that leave the asset base', () => {
    expect(assetPathError('demo/demo-1.0.0.tar.gz')).toBeUndefined();
    expect(assetPathError('@acme/tool/acme_tool-1.0.0.tar.gz')).toBeUndefined();
    for (const bad of [
      'demo.tar.gz',
      '../x/y.tar.gz',
      'a/../../y.tar.gz',
      '/abs/x.tar.gz',
      'a//b.tar.gz',
      'a/b c.tar.gz',
      'a\\b/c.tar.gz',
    ])
      expect(assetPathError(bad)).toBeDefined();
    expect(assetLocation('https://example.org/assets/', 'demo/demo-1.0.0.tar.gz', '/')).toBe(
      'https://example.org/assets/demo/demo-1.0.0.tar.gz',
    );
    expect(assetLocation('file:///srv/assets', 'demo/demo-1.0.0.tar.gz', '/')).toBe(
      '/srv/assets/demo/demo-1.0.0.tar.gz',
    );
    expect(() => assetLocation('/srv', '../etc/passwd.tar.gz', '/')).toThrow(/unsafe asset path/);
  });
});
