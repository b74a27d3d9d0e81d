/** What `granary root …` does once it runs: loaded by its actions. */
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import {
  initRoot,
  parseRoot,
  rotateRoot,
  signRootFile,
  verifyRootFolder,
  writeRoot,
  type RootSigned,
} from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { RootInitFlags, RootRotateFlags, RootSignFlags } from './root.js';

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1`);
  return n;
}

function summary(signed: RootSigned): string {
  const r = signed.roles;
  return `root version ${signed.version}: ${r.root.threshold} of ${r.root.keyids.length} root key(s), online key ${r.timestamp.keyids.join(', ')}, expires ${signed.expires}`;
}

export async function runRootInit(ctx: CommandContext, flags: RootInitFlags): Promise<CommandResult> {
  const out = resolve(ctx.io.cwd, flags.out);
  const root = await initRoot(ctx.io.cwd, {
    rootKeys: flags.rootKey,
    onlineKeys: flags.onlineKey,
    ...optional(count(flags.threshold, '--threshold'), count(flags.expiresDays, '--expires-days')),
  });
  await mkdir(dirname(out), { recursive: true });
  await writeRoot(out, root, flags.force === true);
  return {
    ok: true,
    json: { ok: true, file: out, version: 1, signatures: 0 },
    text: `${summary(root.signed)}\nwrote ${out} unsigned: each root key holder signs it with \`granary root sign ${flags.out} --key <root key>.pem\``,
  };
}

export async function runRootRotate(ctx: CommandContext, flags: RootRotateFlags): Promise<CommandResult> {
  const from = resolve(ctx.io.cwd, flags.from);
  const previous = parseRoot(await readFile(from), from).envelope;
  const root = await rotateRoot(ctx.io.cwd, previous, {
    rootKeys: flags.rootKey ?? [],
    onlineKeys: flags.onlineKey ?? [],
    ...optional(count(flags.threshold, '--threshold'), count(flags.expiresDays, '--expires-days')),
  });
  const out = resolve(ctx.io.cwd, flags.out);
  await mkdir(dirname(out), { recursive: true });
  await writeRoot(out, root, flags.force === true);
  return {
    ok: true,
    json: { ok: true, file: out, version: root.signed.version, signatures: 0 },
    text: `${summary(root.signed)}\nwrote ${out} unsigned: it needs the signatures of enough root keys of version ${previous.signed.version} and of its own (\`granary root sign\`)`,
  };
}

export async function runRootSign(ctx: CommandContext, file: string, flags: RootSignFlags): Promise<CommandResult> {
  if (flags.key.length === 0) throw new UsageError('no key to sign with', { hint: 'pass --key <root key>.pem' });
  const signed = await signRootFile(ctx.io.cwd, file, flags.key);
  return {
    ok: true,
    json: { ok: true, file, version: signed.signed.version, signatures: signed.signatures.length },
    text: `${file}: ${signed.signatures.length} signature(s) on root version ${signed.signed.version}`,
  };
}

export async function runRootVerify(ctx: CommandContext, dir: string): Promise<CommandResult> {
  const { versions, latest } = await verifyRootFolder(resolve(ctx.io.cwd, dir));
  return {
    ok: true,
    json: { ok: true, versions, latest },
    text: `ok: ${versions} root version(s) form a chain; ${summary(latest)}`,
  };
}

function optional(threshold: number | undefined, expiresDays: number | undefined) {
  return {
    ...(threshold === undefined ? {} : { threshold }),
    ...(expiresDays === undefined ? {} : { expiresDays }),
  };
}
