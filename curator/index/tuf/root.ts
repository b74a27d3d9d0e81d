/**
 * The registry's TUF root: created and signed offline (`granary root init|sign`), kept on main under
 * `trust/<N>.root.json`, copied by the curator to the index's `metadata/`. Verified with tuf-js's models.
 */
import type { KeyObject } from 'node:crypto';
import { Metadata, MetadataKind, type Root } from '@tufjs/models';
import { InputError, TrustError, UsageError } from '../../../core/errors.js';
import { TUF_SPEC_VERSION } from '../../../core/tuf-layout.js';
import {
  envelopeBytes,
  signEnvelope,
  tufKey,
  tufKeyOf,
  type Envelope,
  type TufKey,
  type TufPublicKey,
} from './keys.js';

/** Where main keeps the root versions: `trust/1.root.json`, `trust/2.root.json`, … */
export const TRUST_DIR = 'trust';
export const ONLINE_ROLES = ['targets', 'snapshot', 'timestamp'] as const;

export interface RootRole {
  keyids: string[];
  threshold: number;
}

export interface RootSigned {
  _type: 'root';
  consistent_snapshot: true;
  expires: string;
  keys: Record<string, TufPublicKey>;
  roles: Record<'root' | 'targets' | 'snapshot' | 'timestamp', RootRole>;
  spec_version: string;
  version: number;
}

export interface RootPlan {
  version: number;
  expires: string;
  rootKeys: readonly TufKey[];
  rootThreshold: number;
  onlineKeys: readonly TufKey[];
}

/** The signed part of a root: root keys with their threshold, the online keys for targets, snapshot and timestamp. */
export function rootSigned(plan: RootPlan): RootSigned {
  if (plan.rootKeys.length === 0)
    throw new UsageError('a root needs at least one root key', { hint: 'pass --root-key' });
  if (!Number.isSafeInteger(plan.rootThreshold) || plan.rootThreshold < 1 || plan.rootThreshold > plan.rootKeys.length)
    throw new UsageError(`the threshold must be between 1 and the number of root keys (${plan.rootKeys.length})`);
  if (plan.onlineKeys.length === 0)
    throw new UsageError('a root needs the online key the curator signs with', { hint: 'pass --online-key' });
  const keys: Record<string, TufPublicKey> = {};
  for (const k of [...plan.rootKeys, ...plan.onlineKeys]) keys[k.keyid] = k.key;
  const ids = (list: readonly TufKey[]) => [...new Set(list.map((k) => k.keyid))].sort();
  const online = { keyids: ids(plan.onlineKeys), threshold: 1 };
  return {
    _type: 'root',
    consistent_snapshot: true,
    expires: plan.expires,
    keys,
    roles: {
      root: { keyids: ids(plan.rootKeys), threshold: plan.rootThreshold },
      targets: online,
      snapshot: online,
      timestamp: online,
    },
    spec_version: TUF_SPEC_VERSION,
    version: plan.version,
  };
}

/** Add signatures by `privateKeys` to a root (each root key holder signs in turn; the order does not matter). */
export function addRootSignatures(root: Envelope<RootSigned>, privateKeys: readonly KeyObject[]): Envelope<RootSigned> {
  const added = signEnvelope(root.signed, privateKeys).signatures;
  const byId = new Map(root.signatures.map((s) => [s.keyid, s]));
  for (const s of added) byId.set(s.keyid, s);
  return { signed: root.signed, signatures: [...byId.values()].sort((a, b) => (a.keyid < b.keyid ? -1 : 1)) };
}

/**
 * The root of a registry that has no `trust/` folder: version 1, the online key (registry.yaml `publicKey`)
 * is also the root key. It never expires in practice and cannot be rotated without clients pinning anew.
 */
export function singleKeyRoot(onlineKey: KeyObject): Envelope<RootSigned> {
  return signEnvelope(singleKeyRootSigned(tufKeyOf(onlineKey)), [onlineKey]);
}

/** The signed part of the single-key root of `key`: what a single-key registry's 1.root.json must hold. */
export function singleKeyRootSigned(key: TufKey): RootSigned {
  return rootSigned({
    version: 1,
    expires: '2100-01-01T00:00:00Z',
    rootKeys: [key],
    rootThreshold: 1,
    onlineKeys: [key],
  });
}

export function rootBytes(root: Envelope<RootSigned>): Buffer {
  return envelopeBytes(root);
}

/** Parse one root file; anything that is not a TUF root is the file's fault. */
export function parseRoot(bytes: Buffer, where: string): { metadata: Metadata<Root>; envelope: Envelope<RootSigned> } {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new InputError('a root metadata file is not JSON', { where, cause, hint: 'restore it from `granary root`' });
  }
  try {
    const metadata = Metadata.fromJSON(MetadataKind.Root, json as never);
    return { metadata, envelope: json as Envelope<RootSigned> };
  } catch (cause) {
    throw new InputError(`not a TUF root: ${cause instanceof Error ? cause.message : String(cause)}`, {
      where,
      cause,
      hint: 'create roots with `granary root init` and `granary root sign`',
    });
  }
}

/**
 * Check a chain of roots, version 1 first: each is version N, signed by a threshold of its own root keys
 * and of the previous version's. Returns them all, verified.
 */
export function verifyRootChain(roots: ReadonlyArray<{ bytes: Buffer; where: string }>): Metadata<Root>[] {
  let trusted: Metadata<Root> | undefined;
  const chain: Metadata<Root>[] = [];
  for (const [i, { bytes, where }] of roots.entries()) {
    const { metadata } = parseRoot(bytes, where);
    if (metadata.signed.version !== i + 1)
      throw new TrustError(`root version ${metadata.signed.version} found where version ${i + 1} was expected`, {
        where,
        hint: `root files are numbered 1.root.json, 2.root.json, … without gaps`,
      });
    try {
      if (trusted) trusted.verifyDelegate(MetadataKind.Root, metadata);
      metadata.verifyDelegate(MetadataKind.Root, metadata);
    } catch (cause) {
      throw new TrustError(
        `root version ${i + 1} is not signed by enough root keys (${cause instanceof Error ? cause.message : String(cause)})`,
        {
          where,
          cause,
          hint: 'a new root must be signed by a threshold of the previous root keys and of its own: collect the signatures with `granary root sign`',
        },
      );
    }
    trusted = metadata;
    chain.push(metadata);
  }
  if (trusted === undefined) throw new UsageError('there is no root');
  return chain;
}

/** Refuse an online key that the root does not name for targets, snapshot and timestamp. */
export function checkOnlineKey(root: Metadata<Root>, onlineKey: KeyObject, where: string): TufKey {
  const key = tufKeyOf(onlineKey);
  for (const role of ONLINE_ROLES) {
    if (!root.signed.roles[role]?.keyIDs.includes(key.keyid))
      throw new TrustError(
        `the signing key ${key.publicKey} is not the ${role} key of root version ${root.signed.version}`,
        {
          where,
          hint: 'curate with the online key the root names, or rotate the online key with a new root (`granary root rotate` and `granary root sign`)',
        },
      );
  }
  return key;
}

export { tufKey };
