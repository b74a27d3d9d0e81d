/**
 * The registry's TUF root: created and signed offline (`granary root init|sign`), kept on main under
 * `trust/<N>.root.json`, copied by the curator to the index's `metadata/`. Verified with tuf-js's models.
 */
import type { KeyObject } from 'node:crypto';
import type { Metadata, Root } from '@tufjs/models';
import { parseRoot as parseRootFile } from '../../../core/tuf/roots.js';
import { TrustError, UsageError } from '../../../core/errors.js';
import { TUF_SPEC_VERSION } from '../../../core/tuf-layout.js';
import { envelopeBytes, signEnvelope, tufKeyOf, type Envelope, type TufKey, type TufPublicKey } from './keys.js';

/** Where main keeps the root versions: `trust/1.root.json`, `trust/2.root.json`, … */
export const TRUST_DIR = 'trust';
export const ONLINE_ROLES = ['targets', 'snapshot', 'timestamp'] as const;

export interface RootRole {
  keyids: string[];
  threshold: number;
}

/** A TUF root's signed part: its keys, the roles they sign, its version and expiry. */
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

/** Parse one root file (see core/tuf/roots.ts) with its signed part typed as this module writes it. */
export function parseRoot(bytes: Buffer, where: string): ReturnType<typeof parseRootFile<RootSigned>> {
  return parseRootFile<RootSigned>(bytes, where);
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
