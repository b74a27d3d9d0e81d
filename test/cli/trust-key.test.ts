// `--trust-key` (and GRANARY_TRUST_KEY) takes the key itself or the `.pub` file `granary keygen` writes.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line } from '../resolve/memory-registry.js';
import { tempDir } from '../helpers/tmp.js';
import { granary, indexDir } from './fixture.js';

/** A registry signed by a key `granary keygen` wrote into `cwd`/keys/. */
async function keygenRegistry() {
  const cwd = await tempDir('granary-keys-');
  expect((await granary(['keygen', '--out', 'keys/online.pem'], { cwd })).code).toBe(0);
  const key = {
    privateKeyPem: await readFile(join(cwd, 'keys/online.pem'), 'utf8'),
    publicKey: (await readFile(join(cwd, 'keys/online.pem.pub'), 'utf8')).trim(),
  };
  const { dir } = await indexDir({ a: [line('a', '1.0.0')] }, key);
  return { cwd, dir, key };
}

describe('--trust-key', () => {
  it('accepts the .pub file keygen wrote, as a flag or in GRANARY_TRUST_KEY, as well as the key text', async () => {
    const { cwd, dir, key } = await keygenRegistry();
    for (const [args, env] of [
      [['--trust-key', './keys/online.pem.pub'], {}],
      [['--trust-key', key.publicKey], {}],
      [[], { GRANARY_TRUST_KEY: 'keys/online.pem.pub' }],
    ] as const) {
      const r = await granary(['resolve', 'a', '--registry', dir, ...args, '--json'], { cwd, env });
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toContain('no trust root pinned');
      expect(JSON.parse(r.out).packages.map((p: { version: string }) => p.version)).toEqual(['1.0.0']);
    }
  });

  it('pins the key the file holds: another registry is refused (1)', async () => {
    const { cwd } = await keygenRegistry();
    const other = await indexDir({ a: [line('a', '1.0.0')] });
    const r = await granary(['info', 'a', '--registry', other.dir, '--trust-key', 'keys/online.pem.pub'], { cwd });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: the registry's metadata\/1\.root\.json is not the root of the pinned key ed25519:/);
  });

  it('a file that is missing, or does not hold a key, is a usage error naming the flag and the file (2)', async () => {
    const { cwd, dir } = await keygenRegistry();
    const missing = await granary(['resolve', 'a', '--registry', dir, '--trust-key', 'keys/nope.pub'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      'error: --trust-key is neither a public key nor a file that holds one: "keys/nope.pub"',
    );
    expect(missing.err).toContain(`at: ${join(cwd, 'keys/nope.pub')}`);

    await writeFile(join(cwd, 'keys/online.pem.pub'), 'not a key\n');
    const wrong = await granary(['resolve', 'a', '--registry', dir, '--json'], {
      cwd,
      env: { GRANARY_TRUST_KEY: 'keys/online.pem.pub' },
    });
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.out)).toMatchObject({
      error: 'usage',
      message: 'the file GRANARY_TRUST_KEY names does not hold an Ed25519 public key: "not a key"',
      where: join(cwd, 'keys/online.pem.pub'),
    });
  });
});
