import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { TrustError } from '../../core/errors.js';
import { generateKeyPair } from '../../core/signing.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleIndex, writeIndex } from './build-index.js';
import { serveIndex } from './loopback-server.js';

async function indexDir(files: Map<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeIndex(files, dir);
  return dir;
}

describe('trust', () => {
  it('accepts a signed, consistent index under the pinned key', async () => {
    const built = sampleIndex();
    const registry = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: built.key.publicKey });
    expect(registry.trustedKey).toBe(built.key.publicKey);
    expect(registry.snapshot?.version).toBe(1);
    expect((await registry.lines('b')).map((l) => l.version)).toEqual(['1.0.0', '1.2.0']);
  });

  it('refuses a tampered index line under a pinned key (over HTTP)', async () => {
    const built = sampleIndex();
    built.files.set('1/b', built.files.get('1/b')!.replace('"1.2.0"', '"1.3.0"'));
    const server = await serveIndex(built.files);
    const registry = await openRegistry(server.url, { cwd: '/', trustKey: built.key.publicKey });
    const error = await registry.lines('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toMatch(/index file 1\/b has sha256 [0-9a-f]{64}, but snapshot.json lists/);
    expect((error as TrustError).where).toBe(`${server.url}1/b`);
    // Untouched files still read.
    expect(await registry.lines('a')).toHaveLength(2);
  });

  it('refuses a file the snapshot does not list, and a listed file that is missing', async () => {
    const built = sampleIndex();
    built.files.set('1/c', built.files.get('1/b')!.replaceAll('"b"', '"c"'));
    built.files.delete('1/a');
    const registry = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: built.key.publicKey });
    await expect(registry.lines('c')).rejects.toThrow(/1\/c is not listed in snapshot.json/);
    await expect(registry.lines('a')).rejects.toThrow(/1\/a is listed in snapshot.json but missing/);
  });

  it('refuses a bad signature', async () => {
    const built = sampleIndex();
    const other = generateKeyPair();
    const error = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: other.publicKey }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toContain(`not signed by the registry key ${other.publicKey}`);

    const forged = sampleIndex({ key: built.key });
    const signedText = forged.files.get('snapshot.json')!;
    forged.files.set('snapshot.json', signedText.replace(/"version": ?1\b/, '"version": 7'));
    expect(forged.files.get('snapshot.json')).not.toBe(signedText);
    await expect(
      openRegistry(await indexDir(forged.files), { cwd: '/', trustKey: built.key.publicKey }),
    ).rejects.toThrow(/not signed by the registry key/);
  });

  it('refuses an unsigned snapshot when a key is pinned, and accepts it with one warning when none is', async () => {
    const built = sampleIndex({ sign: false });
    const dir = await indexDir(built.files);
    const error = await openRegistry(dir, { cwd: '/', trustKey: built.key.publicKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).message).toMatch(/not signed \(no snapshot.json.sig\)/);
    expect((error as TrustError).where).toMatch(/snapshot\.json\.sig$/);

    const warnings: string[] = [];
    const registry = await openRegistry(dir, { cwd: '/', warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no trust key pinned.*snapshot.json is not signed/);
    expect(await registry.lines('a')).toHaveLength(2);
  });

  it('still checks hashes against the snapshot when no key is pinned', async () => {
    const built = sampleIndex();
    built.files.set('1/a', built.files.get('1/a')!.replace('^1.0.0', '^1.2.0'));
    const registry = await openRegistry(await indexDir(built.files), { cwd: '/', warn: () => undefined });
    await expect(registry.lines('a')).rejects.toBeInstanceOf(TrustError);
  });

  it('refuses a rolled-back snapshot, remembering the highest version per key in the cache dir', async () => {
    const key = generateKeyPair();
    const cacheDir = await tempDir();
    const newer = await indexDir(sampleIndex({ key, version: 5 }).files);
    const older = await indexDir(sampleIndex({ key, version: 4 }).files);
    await openRegistry(newer, { cwd: '/', cacheDir, trustKey: key.publicKey });
    const error = await openRegistry(older, { cwd: '/', cacheDir, trustKey: key.publicKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toBe(
      'snapshot version 4 is older than version 5, which this client has already seen for this registry',
    );
    // The same version again is fine; so is another registry's key.
    await openRegistry(newer, { cwd: '/', cacheDir, trustKey: key.publicKey });
    const other = sampleIndex({ version: 1 });
    await openRegistry(await indexDir(other.files), { cwd: '/', cacheDir, trustKey: other.key.publicKey });
  });

  it('refuses a config.json whose publicKey differs from the pinned key', async () => {
    const stranger = generateKeyPair();
    const built = sampleIndex({ advertisedKey: stranger.publicKey });
    const error = await openRegistry(await indexDir(built.files), { cwd: '/', trustKey: built.key.publicKey }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrustError);
    expect((error as Error).message).toBe(
      `config.json names the key ${stranger.publicKey}, not the pinned key ${built.key.publicKey}`,
    );
  });
});
