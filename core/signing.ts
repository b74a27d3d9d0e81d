/** Ed25519 keys and signatures (node:crypto). Public keys travel as `ed25519:<base64 of the 32 raw bytes>`. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { TrustError, UsageError } from './errors.js';

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 key pair as files hold it. */
export interface KeyPair {
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  /** `ed25519:<base64>` */
  publicKey: string;
}

/** A new Ed25519 key pair: the private key as PKCS#8 PEM, the public key as `ed25519:<base64>`. */
export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: encodePublicKey(publicKey),
  };
}

export function encodePublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return `ed25519:${der.subarray(SPKI_PREFIX.length).toString('base64')}`;
}

export function decodePublicKey(text: string): KeyObject {
  const m = /^ed25519:([A-Za-z0-9+/]{43}=)$/.exec(text.trim());
  if (!m)
    throw new TrustError(`not an Ed25519 public key: ${JSON.stringify(text.slice(0, 80))}`, {
      hint: 'a public key looks like ed25519:<44 base64 characters>, as `granary keygen` prints it',
    });
  const raw = Buffer.from(m[1]!, 'base64');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function loadPrivateKey(pem: string, where = 'signing key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new UsageError('the signing key is not a PEM private key', {
      where,
      hint: 'create one with `granary keygen`',
      cause,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UsageError(`the signing key is ${key.asymmetricKeyType}, not Ed25519`, {
      where,
      hint: 'create one with `granary keygen`',
    });
  return key;
}

/** The public key (`ed25519:…`) that belongs to a private key. */
export function publicKeyOf(privateKey: KeyObject): string {
  return encodePublicKey(createPublicKey(privateKey));
}

/** Base64 signature of `data`. */
export function signBytes(data: Uint8Array, privateKey: KeyObject): string {
  return sign(null, data, privateKey).toString('base64');
}

/** Whether `signature` (base64) is a valid signature of `data` by `publicKey` (`ed25519:…`). */
export function verifyBytes(data: Uint8Array, signature: string, publicKey: string): boolean {
  const sig = Buffer.from(signature.trim(), 'base64');
  if (sig.length !== 64) return false;
  return verify(null, data, decodePublicKey(publicKey), sig);
}
