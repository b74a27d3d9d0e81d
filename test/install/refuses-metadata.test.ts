// `granary install` refuses an index whose TUF metadata is expired, rolled back, mixed from two
// generations, or signed by a key the root does not name: exit 1, a trust error naming metadata/.
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { generateKeyPair, loadPrivateKey, type KeyPair } from '../../core/signing.js';
import { envelopeBytes, signEnvelope } from '../../curator/index/tuf/keys.js';
import { DAY_MS } from '../../curator/index/tuf/repository.js';
import { writeGeneration } from '../client-read/build-index.js';
import { line } from '../resolve/memory-registry.js';
import { tempDir } from '../helpers/tmp.js';

const V1 = { a: [line('a', '1.0.0', { dependencies: { b: '^1.0.0' } })], b: [line('b', '1.0.0')] };
const V2 = { a: [...V1.a, line('a', '1.1.0', { dependencies: { b: '^1.0.0' } })], b: V1.b };

async function install(registry: string, key: KeyPair, cache: string, command = 'install') {
  const project = await tempDir('granary-project-');
  const io = memoryIo({ cwd: project });
  const code = await main(
    [command, 'a', '--registry', registry, '--trust-key', key.publicKey, '--cache', cache, '--json'],
    io,
  );
  return { code, json: JSON.parse(io.text()) as { error?: string; message?: string; where?: string } };
}

async function registry(packages: Record<string, ReturnType<typeof line>[]>, key: KeyPair, now?: number) {
  const dir = await tempDir('granary-index-');
  await writeGeneration(dir, packages, { key, ...(now === undefined ? {} : { now }) });
  return dir;
}

describe('granary install refuses bad metadata', () => {
  it('expired: a timestamp signed two days ago', async () => {
    const key = generateKeyPair();
    const r = await install(await registry(V1, key, Date.now() - 2 * DAY_MS), key, await tempDir());
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: 'trust', message: expect.stringMatching(/metadata has expired/) });
  });

  it('rolled back: an older generation, once what the client verified has expired', async () => {
    const key = generateKeyPair();
    const cache = await tempDir();
    const dir = await registry(V1, key, Date.now() - 5 * DAY_MS);
    const old = await tempDir();
    await cp(dir, old, { recursive: true });
    await writeGeneration(dir, V2, { key, now: Date.now() - 3 * DAY_MS });
    // A client read generation 2 three days ago (resolve: these indexes have no tarballs to install).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3 * DAY_MS + 60_000 });
    try {
      expect((await install(dir, key, cache, 'resolve')).code).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    await rm(dir, { recursive: true });
    await cp(old, dir, { recursive: true });
    const r = await install(dir, key, cache);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: 'trust', message: expect.stringMatching(/versions do not agree/) });
  });

  it('mixed generations: the snapshot of one generation served under the name of the next', async () => {
    const key = generateKeyPair();
    const dir = await registry(V1, key);
    await writeGeneration(dir, V2, { key });
    const names = await readdir(join(dir, 'metadata'));
    expect(names).toEqual(expect.arrayContaining(['1.snapshot.json', '2.snapshot.json']));
    await writeFile(join(dir, 'metadata', '2.snapshot.json'), await readFile(join(dir, 'metadata', '1.snapshot.json')));
    const r = await install(dir, key, await tempDir());
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: 'trust' });
    expect(r.json.where).toMatch(/^metadata\//);
  });

  it('wrongly signed: a timestamp signed by a key the root does not name', async () => {
    const key = generateKeyPair();
    const dir = await registry(V1, key);
    const path = join(dir, 'metadata', 'timestamp.json');
    const timestamp = JSON.parse(await readFile(path, 'utf8')) as { signed: object };
    const stranger = loadPrivateKey(generateKeyPair().privateKeyPem);
    await writeFile(path, envelopeBytes(signEnvelope(timestamp.signed, [stranger])));
    const r = await install(dir, key, await tempDir());
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: 'trust', message: expect.stringMatching(/metadata does not verify/) });
  });
});
