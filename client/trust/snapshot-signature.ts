/** The signature check on snapshot.json: the exact bytes, the pinned (or advertised) Ed25519 key. */
import { TrustError } from '../../core/errors.js';
import { verifyBytes } from '../../core/signing.js';

/** Throw a TrustError unless `signature` (contents of snapshot.json.sig) signs `snapshotBytes` with `publicKey`. */
export function checkSnapshotSignature(
  snapshotBytes: Buffer,
  signature: Buffer,
  publicKey: string,
  where: string,
): void {
  const text = signature.toString('utf8').trim();
  let ok: boolean;
  try {
    ok = /^[A-Za-z0-9+/]+={0,2}$/.test(text) && verifyBytes(snapshotBytes, text, publicKey);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new TrustError(`snapshot.json is not signed by the registry key ${publicKey}`, {
      where,
      hint: 'the index was altered or signed with another key: do not use it; if the registry rotated its key, confirm the new key with its operators and pass it with --trust-key',
    });
  }
}
