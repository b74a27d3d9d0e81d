import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { loadPrivateKey, publicKeyOf, signBytes, verifyBytes } from '../../core/signing.js';
import { tempDir } from '../helpers/tmp.js';

describe('granary keygen', () => {
  it('writes a private key (0600) and its public key, which verify each other', async () => {
    const dir = await tempDir();
    const io = memoryIo({ cwd: dir });
    expect(await main(['keygen', '--out', 'keys/k.pem', '--json'], io)).toBe(0);
    const result = JSON.parse(io.text()) as { publicKey: string; privateKey: string };
    expect(result.privateKey).toBe(join(dir, 'keys/k.pem'));
    expect((await stat(join(dir, 'keys/k.pem'))).mode & 0o777).toBe(0o600);
    const pub = (await readFile(join(dir, 'keys/k.pem.pub'), 'utf8')).trim();
    expect(pub).toBe(result.publicKey);
    const key = loadPrivateKey(await readFile(join(dir, 'keys/k.pem'), 'utf8'));
    expect(publicKeyOf(key)).toBe(pub);
    const data = Buffer.from('snapshot');
    expect(verifyBytes(data, signBytes(data, key), pub)).toBe(true);
    expect(verifyBytes(Buffer.from('other'), signBytes(data, key), pub)).toBe(false);
  });

  it('refuses to replace an existing key without --force (exit 2)', async () => {
    const dir = await tempDir();
    expect(await main(['keygen', '--out', 'k.pem'], memoryIo({ cwd: dir }))).toBe(0);
    const before = await readFile(join(dir, 'k.pem'), 'utf8');
    const io = memoryIo({ cwd: dir });
    expect(await main(['keygen', '--out', 'k.pem'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/already exists[\s\S]*fix: .*--force/);
    expect(await readFile(join(dir, 'k.pem'), 'utf8')).toBe(before);
    expect(await main(['keygen', '--out', 'k.pem', '--force'], memoryIo({ cwd: dir }))).toBe(0);
    expect(await readFile(join(dir, 'k.pem'), 'utf8')).not.toBe(before);
  });
});
