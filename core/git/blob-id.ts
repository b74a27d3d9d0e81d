/** A git blob's object id, computed from its bytes (what `git hash-object` prints). */
import { createHash } from 'node:crypto';

export function gitBlobId(bytes: Uint8Array, format: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
