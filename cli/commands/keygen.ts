/** `granary keygen`: an Ed25519 key pair: the curator's online key, or a root key for `granary root`. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface KeygenFlags {
  out: string;
  force?: boolean;
}

export function registerKeygen(program: Command, ctx: CommandContext): void {
  program
    .command('keygen')
    .description(
      'write an Ed25519 key pair: an online key (`curate --sign-key`; its public key in registry.yaml or a root) or a root key',
    )
    .option(
      '--out <file>',
      'where to write the private key (PKCS#8 PEM, mode 0600); the public key goes to <file>.pub',
      'granary-signing-key.pem',
    )
    .option('--force', 'replace an existing key file')
    .option('--json', 'print the result as JSON')
    .action(runAction(ctx, async (opts: KeygenFlags) => (await import('./keygen-run.js')).runKeygen(ctx, opts)));
}
