/**
 * Which roots a registry has: `trust/<N>.root.json` on main (made offline with `granary root`), or, without
 * that folder, the single-key root of registry.yaml's `publicKey` (the online key is also the root key).
 */
import type { KeyObject } from 'node:crypto';
import type { Metadata, Root } from '@tufjs/models';
import { canonicalize } from '@tufjs/canonical-json';
import { TrustError, UsageError } from '../../../core/errors.js';
import { REGISTRY_FILE, type RegistryConfig } from '../../../core/registry-config.js';
import type { BlobReader } from '../../git/repository.js';
import type { IndexTrust } from '../index-branch.js';
import type { Envelope } from './keys.js';
import { tufKey } from './keys.js';
import { readRootFiles, verifyRootChain } from '../../../core/tuf/roots.js';
import { rootBytes, singleKeyRoot, singleKeyRootSigned, TRUST_DIR } from './root.js';

export interface RegistryRoots {
  /** Every root version's bytes, version 1 first. */
  bytes: Buffer[];
  /** The same, verified. */
  chain: Metadata<Root>[];
  /** Where they come from, for messages. */
  where: string;
}

/** The root versions main holds at `commit`, verified as a chain; undefined when it has none. */
export async function trustFolderAt(reader: BlobReader, commit: string): Promise<RegistryRoots | undefined> {
  const files = (
    await readRootFiles(
      (path) => reader.read(`${commit}:${path}`),
      (n) => `${TRUST_DIR}/${n}.root.json`,
    )
  ).map((r) => ({ bytes: r.bytes, where: `${commit.slice(0, 12)}:${r.path}` }));
  if (files.length === 0) return undefined;
  return { bytes: files.map((f) => f.bytes), chain: verifyRootChain(files), where: `${TRUST_DIR}/` };
}

/**
 * The registry's roots at `commit`. A single-key registry's root is signed with the online key: with
 * `signingKey` it is made; without it, `published` (the index's own 1.root.json) is accepted if it is exactly that root.
 */
export async function registryRoots(
  reader: BlobReader,
  commit: string,
  registry: RegistryConfig,
  keys: { signingKey?: KeyObject | undefined; published?: Buffer | undefined },
): Promise<RegistryRoots> {
  const folder = await trustFolderAt(reader, commit);
  if (folder !== undefined) return folder;
  const publicKey = registry.publicKey;
  if (publicKey === undefined)
    throw new UsageError('the registry has no root of trust: no trust/ folder and no publicKey in registry.yaml', {
      where: REGISTRY_FILE,
      hint: 'create keys with `granary keygen`, then either put `publicKey: <the public key>` in registry.yaml or make a root with `granary root init` into trust/1.root.json',
    });
  const where = `${REGISTRY_FILE} publicKey`;
  let bytes: Buffer;
  if (keys.signingKey !== undefined) bytes = rootBytes(singleKeyRoot(keys.signingKey));
  else if (keys.published !== undefined) {
    const expected = singleKeyRootSigned(tufKey(publicKey));
    const signed = (JSON.parse(keys.published.toString('utf8')) as Envelope).signed;
    if (canonicalize(signed) !== canonicalize(expected))
      throw new TrustError(`the index's root is not the single-key root of registry.yaml's publicKey ${publicKey}`, {
        where: 'metadata/1.root.json',
        hint: "the index was made with another key: rebuild it from main with `granary index build` and the registry's key",
      });
    bytes = keys.published;
  } else throw new UsageError('a single-key registry needs its signing key to make its root', { where });
  return { bytes: [bytes], chain: verifyRootChain([{ bytes, where }]), where };
}

/**
 * How curate trusts the index it builds on: the roots the branch publishes must be the first versions of
 * main's roots at the commit the index curated (and at head), and the branch is verified with its latest.
 */
export function branchTrust(
  registryAt: (commit: string) => Promise<RegistryConfig>,
  reader: BlobReader,
  headRoots: RegistryRoots | undefined,
): IndexTrust {
  return async (commit, branchRoots) => {
    const registry = await registryAt(commit);
    const roots = await registryRoots(reader, commit, registry, { published: branchRoots[0] });
    for (const [i, bytes] of branchRoots.entries()) {
      const main = roots.bytes[i];
      const later = headRoots?.bytes[i];
      if (main === undefined || !main.equals(bytes) || (later !== undefined && !later.equals(bytes)))
        throw new TrustError(`the index publishes a root version ${i + 1} that main does not hold`, {
          where: `metadata/${i + 1}.root.json`,
          hint: 'roots are only ever added (trust/N.root.json on main); rebuild the index from main with `granary index build`',
        });
    }
    if (branchRoots.length === 0)
      throw new TrustError('the index branch publishes no root', {
        where: 'metadata/1.root.json',
        hint: 'rebuild the index from main with `granary index build`',
      });
    return roots.chain[branchRoots.length - 1]!;
  };
}
