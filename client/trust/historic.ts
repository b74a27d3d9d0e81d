/**
 * An older generation of the index, read on purpose (`--snapshot`): the same checks as a refresh —
 * the root chain from the trusted root, every signature with tuf-js's models, the versions and hashes
 * from timestamp to target — except expiry, which an old generation is past by design. Only a git
 * clone keeps old generations (the index branch's history).
 */
import { Readable } from 'node:stream';
import { TargetFile } from '@tufjs/models';
import { TrustError, UsageError } from '../../core/errors.js';
import { openGeneration } from '../../core/tuf/generation.js';
import { readRootFiles, verifyRootChain } from '../../core/tuf/roots.js';
import { ROOT_PATH } from '../../core/tuf-layout.js';
import type { OpenedSource } from '../sources/opened-source.js';
import type { TufClient } from './tuf-client.js';

const TAMPERED =
  'the index history is inconsistent or was tampered with: do not use it; clone the registry again, or report it to its operators';

export async function openHistoricClient(source: OpenedSource, anchor: Buffer): Promise<TufClient> {
  const roots = (await readRootFiles((path) => source.readFile(path))).map((r) => ({
    bytes: r.bytes,
    where: source.locate(r.path),
  }));
  // The chain holds the trusted root (the same bytes), and is verified from version 1 on.
  if (!roots.some((r) => r.bytes.equals(anchor)))
    throw new TrustError('the index at that snapshot does not hold the root this client trusts', {
      where: source.locate(ROOT_PATH),
      hint: TAMPERED,
    });
  const chain = verifyRootChain(roots);
  const generation = await openGeneration(
    (path) => source.readFile(path),
    chain.at(-1)!,
    (path) => source.locate(path),
  );
  const target = async (path: string): Promise<TargetFile | undefined> => {
    const entry = await generation.target(path);
    return entry === undefined ? undefined : new TargetFile({ path, length: entry.length, hashes: entry.hashes });
  };
  return {
    snapshot: {
      version: generation.info.version,
      granary: { commit: generation.info.commit, createdAt: generation.info.createdAt },
    },
    async read(path) {
      const info = await target(path);
      const bytes = await generation.file(
        path,
        (file) =>
          new TrustError(`index file ${path} is not the file its signed metadata lists`, {
            where: source.locate(file),
            hint: TAMPERED,
          }),
      );
      if (info !== undefined && bytes !== undefined) await info.verify(Readable.from([bytes]));
      return bytes;
    },
    async metadataFiles() {
      throw new UsageError('an older snapshot cannot be mirrored', {
        hint: 'mirror the registry as it is now (without --snapshot)',
      });
    },
  };
}
