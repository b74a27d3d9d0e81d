/** SHA-256 in the two forms the registry records: hex and SRI `sha256-<base64>`. */
import { createHash, type Hash } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256-<base64>` from a hex digest. */
export function integrityFromHex(hex: string): string {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError(`not a SHA-256 hex digest: ${JSON.stringify(hex)}`);
  return `sha256-${Buffer.from(hex, 'hex').toString('base64')}`;
}

/** Hex digest from `sha256-<base64>`, or undefined if it is not one. */
export function hexFromIntegrity(integrity: string): string | undefined {
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(integrity);
  if (!m) return undefined;
  return Buffer.from(m[1]!, 'base64').toString('hex');
}

export interface Digest {
  sha256: string;
  integrity: string;
  size: number;
}

export function digestOf(data: Uint8Array): Digest {
  const sha256 = sha256Hex(data);
  return { sha256, integrity: integrityFromHex(sha256), size: data.byteLength };
}

/** Incremental digest for streams: feed chunks, then `finish()`. */
export class StreamingDigest {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
  }

  get size(): number {
    return this.bytes;
  }

  finish(): Digest {
    const sha256 = this.hash.digest('hex');
    return { sha256, integrity: integrityFromHex(sha256), size: this.bytes };
  }
}
