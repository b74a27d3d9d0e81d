/** Ed25519 keys as TUF names them (`keytype`, `scheme`, hex `keyval.public`, key id) and signatures over canonical JSON. */
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { decodePublicKey, encodePublicKey } from '../../../core/signing.js';

export interface TufPublicKey {
  keytype: 'ed25519';
  scheme: 'ed25519';
  keyval: { public: string };
}

export interface TufKey {
  /** Hex SHA-256 of the key's canonical JSON (the TUF key id). */
  keyid: string;
  key: TufPublicKey;
  /** `ed25519:<base64>`, as registry.yaml and `granary keygen` write it. */
  publicKey: string;
}

export interface TufSignature {
  keyid: string;
  sig: string;
}

/** A signed metadata file: what is written to `metadata/`. */
export interface Envelope<T = Record<string, unknown>> {
  signatures: TufSignature[];
  signed: T;
}

/** The TUF key of a public key (`ed25519:…` text or a key object). */
export function tufKey(publicKey: string | KeyObject): TufKey {
  const text = typeof publicKey === 'string' ? publicKey.trim() : encodePublicKey(publicKey);
  const raw = Buffer.from(text.slice('ed25519:'.length), 'base64');
  decodePublicKey(text); // refuses anything but an Ed25519 key
  const key: TufPublicKey = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
  return { keyid: createHash('sha256').update(canonicalize(key)).digest('hex'), key, publicKey: text };
}

/** The TUF key of a private key. */
export function tufKeyOf(privateKey: KeyObject): TufKey {
  return tufKey(createPublicKey(privateKey));
}

/** `signed` with one signature per key, over its canonical JSON (TUF's signing bytes). */
export function signEnvelope<T>(signed: T, privateKeys: readonly KeyObject[]): Envelope<T> {
  const bytes = Buffer.from(canonicalize(signed as object));
  const signatures = privateKeys
    .map((k) => ({ keyid: tufKeyOf(k).keyid, sig: sign(null, bytes, k).toString('hex') }))
    .sort((a, b) => (a.keyid < b.keyid ? -1 : a.keyid > b.keyid ? 1 : 0));
  return { signatures, signed };
}

/** The bytes a metadata file is written as: canonical JSON and a newline. */
export function envelopeBytes(envelope: Envelope<unknown>): Buffer {
  return Buffer.from(`${canonicalize(envelope as object)}\n`, 'utf8');
}

/** TUF's expiry format: UTC, whole seconds. */
export function tufTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
