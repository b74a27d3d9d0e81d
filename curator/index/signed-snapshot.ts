/** snapshot.json and its signature: written the same way by curate, `index build` and anything that builds an index from lines. */
import type { KeyObject } from 'node:crypto';
import { signBytes } from '../../core/signing.js';
import type { Snapshot } from '../../schema/types.js';
import { serializeSnapshot } from './index-files.js';

export interface SignedSnapshot {
  snapshot: Snapshot;
  /** snapshot.json as written. */
  bytes: Buffer;
  /** snapshot.json.sig, when a key was given. */
  signature: Buffer | undefined;
}

/** The snapshot of index files hashed as `files`, serialized, and signed with `signingKey` when given. */
export function signedSnapshot(fields: Omit<Snapshot, 'format'>, signingKey: KeyObject | undefined): SignedSnapshot {
  const snapshot: Snapshot = { format: 1, ...fields };
  const bytes = Buffer.from(serializeSnapshot(snapshot), 'utf8');
  const signature = signingKey === undefined ? undefined : Buffer.from(`${signBytes(bytes, signingKey)}\n`, 'utf8');
  return { snapshot, bytes, signature };
}
