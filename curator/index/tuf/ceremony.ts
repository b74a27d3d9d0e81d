/**
 * The root key ceremony, done offline with files: make a root (`granary root init`), make the next one
 * (`granary root rotate`), collect signatures (`granary root sign`), and check a chain (`granary root verify`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../../core/errors.js';
import { loadPrivateKey } from '../../../core/signing.js';
import { tufKey, tufKeyOf, tufTime, type Envelope, type TufKey } from './keys.js';
import { DAY_MS } from './repository.js';
import { readRootFiles, verifyRootChain } from '../../../core/tuf/roots.js';
import { addRootSignatures, parseRoot, rootBytes, rootSigned, type RootSigned } from './root.js';

/** A key from a file: a public key (`ed25519:…`, as `keygen` writes to `.pub`) or a private key PEM. */
export async function keyFromFile(path: string): Promise<TufKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError('cannot read the key file', {
      where: path,
      cause,
      hint: 'pass a file `granary keygen` wrote',
    });
  }
  if (text.trimStart().startsWith('-----BEGIN')) return tufKeyOf(loadPrivateKey(text, path));
  try {
    return tufKey(text.trim());
  } catch (cause) {
    throw new UsageError('the key file holds neither a PEM private key nor an ed25519: public key', {
      where: path,
      cause,
      hint: 'pass the .pem or .pub file `granary keygen` wrote',
    });
  }
}

/** The keys and thresholds of a new root: offline root keys and online signing keys (public key files). */
export interface RootPlanFlags {
  rootKeys: string[];
  threshold?: number;
  onlineKeys: string[];
  expiresDays?: number;
}

/** `root init`: version 1, unsigned: each root key holder then signs it with `root sign`. */
export async function initRoot(cwd: string, flags: RootPlanFlags, now = Date.now()): Promise<Envelope<RootSigned>> {
  const rootKeys = await Promise.all(flags.rootKeys.map((f) => keyFromFile(resolve(cwd, f))));
  const onlineKeys = await Promise.all(flags.onlineKeys.map((f) => keyFromFile(resolve(cwd, f))));
  const signed = rootSigned({
    version: 1,
    expires: tufTime(now + (flags.expiresDays ?? 365) * DAY_MS),
    rootKeys,
    rootThreshold: flags.threshold ?? 1,
    onlineKeys,
  });
  return { signatures: [], signed };
}

/** `root rotate`: the next version of `previous`, with the keys given replacing its own (the others kept). */
export async function rotateRoot(
  cwd: string,
  previous: Envelope<RootSigned>,
  flags: Partial<RootPlanFlags>,
  now = Date.now(),
): Promise<Envelope<RootSigned>> {
  const keysOf = (role: 'root' | 'timestamp') =>
    previous.signed.roles[role].keyids.map((id) => {
      const key = previous.signed.keys[id]!;
      return { keyid: id, key, publicKey: `ed25519:${Buffer.from(key.keyval.public, 'hex').toString('base64')}` };
    });
  const rootKeys = flags.rootKeys?.length
    ? await Promise.all(flags.rootKeys.map((f) => keyFromFile(resolve(cwd, f))))
    : keysOf('root');
  const onlineKeys = flags.onlineKeys?.length
    ? await Promise.all(flags.onlineKeys.map((f) => keyFromFile(resolve(cwd, f))))
    : keysOf('timestamp');
  const signed = rootSigned({
    version: previous.signed.version + 1,
    expires: tufTime(now + (flags.expiresDays ?? 365) * DAY_MS),
    rootKeys,
    rootThreshold: flags.threshold ?? Math.min(previous.signed.roles.root.threshold, rootKeys.length),
    onlineKeys,
  });
  return { signatures: [], signed };
}

/** `root sign`: add the signature of each private key file to the root in `file`. */
export async function signRootFile(cwd: string, file: string, keyFiles: string[]): Promise<Envelope<RootSigned>> {
  const path = resolve(cwd, file);
  const { envelope } = parseRoot(await readRequired(path), path);
  const keys = await Promise.all(
    keyFiles.map(async (f) => loadPrivateKey(await readRequired(resolve(cwd, f)).then((b) => b.toString()), f)),
  );
  const signed = addRootSignatures(envelope, keys);
  await writeFile(path, rootBytes(signed));
  return signed;
}

/** `root verify`: the chain 1.root.json … N.root.json in `dir`, each signed by enough root keys of its own and of the one before. */
export async function verifyRootFolder(dir: string): Promise<{ versions: number; latest: RootSigned }> {
  const files = (
    await readRootFiles(
      (path) => readFile(path).catch(() => undefined),
      (n) => resolve(dir, `${n}.root.json`),
    )
  ).map((r) => ({ bytes: r.bytes, where: r.path }));
  if (files.length === 0)
    throw new UsageError('no root files in this folder', {
      where: dir,
      hint: 'roots are named 1.root.json, 2.root.json, …',
    });
  verifyRootChain(files);
  return { versions: files.length, latest: parseRoot(files.at(-1)!.bytes, files.at(-1)!.where).envelope.signed };
}

/** Write a root file in its canonical form; an existing file is replaced only with `force`. */
export async function writeRoot(path: string, root: Envelope<RootSigned>, force: boolean): Promise<void> {
  await writeFile(path, rootBytes(root), { flag: force ? 'w' : 'wx' }).catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'EEXIST')
      throw new UsageError('a root file already exists here; refusing to replace it', {
        where: path,
        hint: 'choose another --out',
      });
    throw cause;
  });
}

async function readRequired(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new InputError('cannot read the file', { where: path, cause });
  }
}
