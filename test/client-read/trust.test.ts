import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { TrustError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { envelopeBytes, signEnvelope } from '../../curator/index/tuf/keys.js';
import { DAY_MS } from '../../curator/index/tuf/repository.js';
import { line } from '../resolve/memory-registry.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleIndex, writeGeneration, writeIndex } from './build-index.js';
import { serveIndex } from './loopback-server.js';

async function indexDir(files: Map<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeIndex(files, dir);
  return dir;
}

const A = { a: [line('a', '1.0.0')], b: [line('b', '1.0.0')] };
const A2 = { a: [line('a', '1.0.0'), line('a', '2.0.0')], b: [line('b', '1.0.0')] };

/** The hashed name the index serves a target under. */
function hashedName(files: Map<string, string>, path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}${sha256Hex(Buffer.from(files.get(path)!))}.${path.slice(slash + 1)}`;
}

async function json(path: string): Promise<{ signed: Record<string, unknown>; signatures: unknown[] }> {
  return JSON.parse(await readFile(path, 'utf8')) as never;
}

describe('trust (TUF metadata verified by tuf-js)', () => {
  it('accepts a signed, consistent index under the pinned key', async () => {
    const built = await sampleIndex();
    const registry = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: built.key.publicKey });
    expect(registry.trustedKey).toBe(built.key.publicKey);
    expect(registry.snapshot.version).toBe(1);
    expect((await registry.lines('b')).map((l) => l.version)).toEqual(['1.0.0', '1.2.0']);
  });

  it('refuses a tampered target file (over HTTP); untouched files still read', async () => {
    const built = await sampleIndex();
    const name = hashedName(built.files, '1/b');
    built.files.set(name, built.files.get(name)!.replace('"1.2.0"', '"1.3.0"'));
    const server = await serveIndex(built.files);
    const registry = await openRegistry(server.url, { cwd: '/', trustKey: built.key.publicKey });
    const error = await registry.lines('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toBe(
      'index file 1/b does not match the length and hash its signed metadata lists',
    );
    expect((error as TrustError).where).toBe(`${server.url}${name}`);
    expect(await registry.lines('a')).toHaveLength(2);
  });

  it('does not see a file the bins do not list, and refuses a listed file that is missing', async () => {
    const built = await sampleIndex();
    built.files.set('1/c', built.files.get('1/b')!.replaceAll('"b"', '"c"'));
    built.files.delete(hashedName(built.files, '1/a'));
    const registry = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: built.key.publicKey });
    expect(await registry.lines('c')).toEqual([]);
    await expect(registry.lines('a')).rejects.toThrow(/index file 1\/a is listed in the signed metadata but missing/);
  });

  it('refuses metadata signed by another key, and metadata changed after signing', async () => {
    const built = await sampleIndex();
    const other = generateKeyPair();
    const error = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: other.publicKey }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toBe(
      `the registry's metadata/1.root.json is not the root of the pinned key ${other.publicKey}`,
    );

    // A timestamp signed by a key the root does not name.
    const dir = await indexDir(built.files);
    const timestamp = await json(join(dir, 'metadata/timestamp.json'));
    await writeFile(
      join(dir, 'metadata/timestamp.json'),
      envelopeBytes(signEnvelope(timestamp.signed, [loadPrivateKey(other.privateKeyPem)])),
    );
    await expect(openRegistry(dir, { cwd: '/', trustKey: built.key.publicKey })).rejects.toThrow(
      /metadata does not verify.*timestamp/,
    );

    // The snapshot with a value changed, its signature kept.
    const forged = await indexDir(built.files);
    const snapshotPath = join(forged, 'metadata/1.snapshot.json');
    const snapshot = await json(snapshotPath);
    (snapshot.signed as { expires: string }).expires = '2099-01-01T00:00:00Z';
    await writeFile(snapshotPath, `${JSON.stringify(snapshot)}\n`);
    const forgedError = await openRegistry(forged, { cwd: '/', trustKey: built.key.publicKey }).catch(
      (e: unknown) => e,
    );
    expect(forgedError).toBeInstanceOf(TrustError);
  });

  it('refuses expired metadata: a timestamp nobody re-signed for a day', async () => {
    const key = generateKeyPair();
    const dir = await tempDir();
    await writeGeneration(dir, A, { key, now: Date.now() - 2 * DAY_MS });
    const error = await openRegistry(dir, { cwd: '/', trustKey: key.publicKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toMatch(
      /^the registry's signed metadata has expired \(.*timestamp.json is expired/,
    );
    // The same index signed within the day reads.
    const fresh = await tempDir();
    await writeGeneration(fresh, A, { key, now: Date.now() - DAY_MS / 2 });
    await expect(openRegistry(fresh, { cwd: '/', trustKey: key.publicKey })).resolves.toBeDefined();
  });

  it('never goes back to an older generation once a newer one was seen (state kept per registry in the cache)', async () => {
    const key = generateKeyPair();
    const cacheDir = await tempDir();
    const dir = await tempDir();
    await writeGeneration(dir, A, { key });
    const old = await tempDir();
    await cp(dir, old, { recursive: true });
    await writeGeneration(dir, A2, { key });
    const served = await tempDir();
    await cp(dir, served, { recursive: true });
    const newer = await openRegistry(served, { cwd: '/', cacheDir, trustKey: key.publicKey });
    expect(newer.snapshot.version).toBe(2);
    expect((await newer.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '2.0.0']);
    // The same location now serves the older generation (a replay, or a cache not caught up): the client
    // keeps the generation it verified, says so, and never reads the older one.
    await rm(served, { recursive: true });
    await cp(old, served, { recursive: true });
    const warnings: string[] = [];
    const kept = await openRegistry(served, {
      cwd: '/',
      cacheDir,
      trustKey: key.publicKey,
      warn: (m) => warnings.push(m),
    });
    expect(kept.snapshot.version).toBe(2);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^the registry served timestamp version 1, older than version 2 this client verified before/,
      ),
    ]);
    // It reads generation 2 as it verified it (kept by hash in its cache), never the older file in its place.
    expect((await kept.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '2.0.0']);
    // Without the cache (a new client), the old generation is consistent and reads.
    await expect(openRegistry(served, { cwd: '/', trustKey: key.publicKey })).resolves.toBeDefined();
  });

  it('refuses an older generation once what it verified has expired: a frozen mirror', async () => {
    const key = generateKeyPair();
    const cacheDir = await tempDir();
    const dir = await tempDir();
    await writeGeneration(dir, A, { key, now: Date.now() - 5 * DAY_MS });
    const old = await tempDir();
    await cp(dir, old, { recursive: true });
    await writeGeneration(dir, A2, { key, now: Date.now() - 3 * DAY_MS });
    // The client read generation 2 three days ago, while it was fresh.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3 * DAY_MS + 60_000 });
    try {
      expect((await openRegistry(dir, { cwd: '/', cacheDir, trustKey: key.publicKey })).snapshot.version).toBe(2);
    } finally {
      vi.useRealTimers();
    }
    // Today the mirror still serves generation 1: what the client trusts has expired, and 1 is older.
    await rm(dir, { recursive: true });
    await cp(old, dir, { recursive: true });
    const error = await openRegistry(dir, { cwd: '/', cacheDir, trustKey: key.publicKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toMatch(/versions do not agree|expired/);
  });

  it('refuses files of two generations mixed: a bin of the older generation under the newer name', async () => {
    const key = generateKeyPair();
    const dir = await tempDir();
    await writeGeneration(dir, A, { key });
    const before = new Set(await readdir(join(dir, 'metadata')));
    await writeGeneration(dir, A2, { key });
    const bins = (await readdir(join(dir, 'metadata'))).filter((f) => /^\d+\.bin-/.test(f));
    const newBin = bins.find((f) => !before.has(f))!;
    const role = newBin.replace(/^\d+\./, '');
    const oldBin = bins.find((f) => f !== newBin && f.endsWith(role))!;
    await writeFile(join(dir, 'metadata', newBin), await readFile(join(dir, 'metadata', oldBin)));
    const registry = await openRegistry(dir, { cwd: '/', trustKey: key.publicKey });
    const error = await registry.lines('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toMatch(/versions do not agree|does not verify/);
  });

  it('warns once and trusts the first root as served when nothing is pinned', async () => {
    const built = await sampleIndex();
    const warnings: string[] = [];
    const registry = await openRegistry(await indexDir(built.files), { cwd: '/', warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^no trust root pinned for .*: its first root was accepted as it was served/);
    expect(await registry.lines('a')).toHaveLength(2);
  });
});
