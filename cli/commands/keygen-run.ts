/** What `granary keygen` does once it runs: loaded by its action. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { generateKeyPair } from '../../core/signing.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { KeygenFlags } from './keygen.js';

export async function runKeygen(ctx: CommandContext, opts: KeygenFlags): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, opts.out);
  if (!opts.force && (existsSync(out) || existsSync(`${out}.pub`))) {
    throw new UsageError('a key already exists at this path; refusing to replace it', {
      where: out,
      hint: 'choose another --out, or pass --force if you mean to rotate the key',
    });
  }
  const pair = generateKeyPair();
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(`${out}.pub`, `${pair.publicKey}\n`);
  return {
    ok: true,
    json: { ok: true, privateKey: out, publicKey: pair.publicKey },
    text: [
      `private key: ${out} (keep it secret: it signs the index)`,
      `public key:  ${pair.publicKey} (in ${out}.pub: clients pin it with --trust-key ${out}.pub)`,
      'an online key: put the public key in registry.yaml as `publicKey:` (or name it with `granary root init --online-key`)',
      'a root key: keep it offline and name it with `granary root init --root-key`',
    ].join('\n'),
  };
}
