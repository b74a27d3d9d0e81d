/** `granary keygen`: an Ed25519 key pair for signing the index snapshot. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { generateKeyPair } from '../../core/signing.js';
import { runAction, type CommandContext } from '../command.js';

export function registerKeygen(program: Command, ctx: CommandContext): void {
  program
    .command('keygen')
    .description('write an Ed25519 key pair: the private key for `curate --sign-key`, the public key for registry.yaml')
    .option('--out <file>', 'where to write the private key (PKCS#8 PEM, mode 0600); the public key goes to <file>.pub', 'granary-signing-key.pem')
    .option('--force', 'replace an existing key file')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (opts: { out: string; force?: boolean }) => {
        const out = resolve(ctx.io.cwd, opts.out);
        if (!opts.force && (existsSync(out) || existsSync(`${out}.pub`))) {
          throw new UsageError('a key already exists at this path; refusing to replace it', { where: out, hint: 'choose another --out, or pass --force if you mean to rotate the key' });
        }
        const pair = generateKeyPair();
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, pair.privateKeyPem, { mode: 0o600 });
        await writeFile(`${out}.pub`, `${pair.publicKey}\n`);
        return {
          ok: true,
          json: { ok: true, privateKey: out, publicKey: pair.publicKey },
          text: [`private key: ${out} (keep it secret: it signs the index)`, `public key:  ${pair.publicKey}`, 'put the public key in registry.yaml as `publicKey:`'].join('\n'),
        };
      }),
    );
}
