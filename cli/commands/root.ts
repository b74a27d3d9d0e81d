/** `granary root init|rotate|sign|verify`: the offline root key ceremony (TUF root metadata under trust/). */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface RootInitFlags {
  out: string;
  rootKey: string[];
  threshold?: string;
  onlineKey: string[];
  expiresDays?: string;
  force?: boolean;
}

export interface RootRotateFlags extends Partial<RootInitFlags> {
  from: string;
  out: string;
}

export interface RootSignFlags {
  key: string[];
}

const collect = (v: string, acc: string[] = []) => [...acc, v];

export function registerRoot(program: Command, ctx: CommandContext): void {
  const root = program
    .command('root')
    .description("make and sign the registry's root of trust (offline keys; files under trust/ on main)");

  root
    .command('init')
    .description(
      'write root version 1 (unsigned): root keys with a threshold, and the online key the curator signs with',
    )
    .option('--out <file>', 'where to write it', 'trust/1.root.json')
    .option('--root-key <file>', 'a root key (.pub or .pem from `granary keygen`; repeatable)', collect, [])
    .option('--threshold <n>', 'how many root keys must sign a root (default 1)')
    .option('--online-key <file>', 'the online key for targets, snapshot and timestamp (.pub or .pem)', collect, [])
    .option('--expires-days <n>', 'days until the root expires (default 365)')
    .option('--force', 'replace an existing file')
    .option('--json', 'print the result as JSON')
    .action(runAction(ctx, async (flags: RootInitFlags) => (await import('./root-run.js')).runRootInit(ctx, flags)));

  root
    .command('rotate')
    .description(
      'write the next root version: keys given replace the previous ones (sign it with old and new root keys)',
    )
    .requiredOption('--from <file>', 'the current root (trust/N.root.json)')
    .requiredOption('--out <file>', 'where to write version N+1 (trust/N+1.root.json)')
    .option('--root-key <file>', 'a new root key (repeatable; default: keep the current ones)', collect, [])
    .option('--threshold <n>', 'how many root keys must sign (default: as before)')
    .option('--online-key <file>', 'a new online key (repeatable; default: keep the current one)', collect, [])
    .option('--expires-days <n>', 'days until the root expires (default 365)')
    .option('--force', 'replace an existing file')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (flags: RootRotateFlags) => (await import('./root-run.js')).runRootRotate(ctx, flags)),
    );

  root
    .command('sign <file>')
    .description('add signatures to a root file, one per private key given')
    .option('--key <file>', 'a root private key (PEM; repeatable)', collect, [])
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (file: string, flags: RootSignFlags) =>
        (await import('./root-run.js')).runRootSign(ctx, file, flags),
      ),
    );

  root
    .command('verify [dir]')
    .description('check that 1.root.json … N.root.json in a folder form a chain, each signed by enough root keys')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (dir: string | undefined) =>
        (await import('./root-run.js')).runRootVerify(ctx, dir ?? 'trust'),
      ),
    );
}
