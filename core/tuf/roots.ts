/** Root metadata as TUF verifies it: one file parsed, and a chain of versions each signed by enough keys of its own and of the one before. */
import { Metadata, MetadataKind, type Root } from '@tufjs/models';
import { InputError, TrustError, UsageError } from '../errors.js';
import { versionedMetadataPath } from '../tuf-layout.js';

/** Every root version `read` finds, 1.root.json first, stopping at the first missing one. */
export async function readRootFiles(
  read: (path: string) => Promise<Buffer | undefined>,
  pathOf: (version: number) => string = (n) => versionedMetadataPath('root', n),
): Promise<Array<{ bytes: Buffer; path: string }>> {
  const out: Array<{ bytes: Buffer; path: string }> = [];
  for (let n = 1; ; n++) {
    const path = pathOf(n);
    const bytes = await read(path);
    if (bytes === undefined) return out;
    out.push({ bytes, path });
  }
}

/** A root file as written: its signatures and its signed part. */
export interface RootEnvelope<T = Record<string, unknown>> {
  signatures: Array<{ keyid: string; sig: string }>;
  signed: T;
}

/** Parse one root file; anything that is not a TUF root is the file's fault. */
export function parseRoot<T = Record<string, unknown>>(
  bytes: Buffer,
  where: string,
): { metadata: Metadata<Root>; envelope: RootEnvelope<T> } {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new InputError('a root metadata file is not JSON', { where, cause, hint: 'restore it from `granary root`' });
  }
  try {
    const metadata = Metadata.fromJSON(MetadataKind.Root, json as never);
    return { metadata, envelope: json as RootEnvelope<T> };
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
