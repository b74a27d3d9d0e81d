/** The content hash of a tarball (the format itself is core/content-hash.ts, shared with the client). */
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { contentHash, type ContentFile } from '../../core/content-hash.js';
import { IntegrityError } from '../../core/errors.js';

export { contentHash, type ContentFile };

/**
 * The content hash of a .tar.gz (or plain .tar): every regular file must sit under one top directory;
 * directories are skipped, any other entry type is refused. Executable means any x bit is set.
 */
export async function contentHashOfTarball(bytes: Uint8Array): Promise<string> {
  const files: ContentFile[] = [];
  let top: string | undefined;
  let failure: Error | undefined;
  const fail = (message: string) => {
    failure ??= new IntegrityError(message, { hint: 'this is not a tarball Granary packed' });
  };
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      maxDecompressionRatio: Infinity,
      onReadEntry(entry: ReadEntry) {
        const path = entry.path.replace(/\/+$/, '');
        const slash = path.indexOf('/');
        const first = slash < 0 ? path : path.slice(0, slash);
        if (top === undefined) top = first;
        if (first !== top || path.startsWith('/') || path.split('/').includes('..'))
          fail(`entry ${JSON.stringify(entry.path)} is not under the top directory ${JSON.stringify(top)}`);
        if (entry.type === 'Directory') {
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
          fail(`entry ${JSON.stringify(entry.path)} is a ${entry.type}, not a file`);
          entry.resume();
          return;
        }
        if (slash < 0) fail(`file ${JSON.stringify(entry.path)} is not inside a top directory`);
        const hash = createHash('sha256');
        entry.on('data', (chunk: Buffer) => hash.update(chunk));
        entry.on('end', () =>
          files.push({
            path: path.slice(slash + 1),
            sha256: hash.digest('hex'),
            executable: ((entry.mode ?? 0) & 0o111) !== 0,
          }),
        );
      },
    });
    parser.on('error', reject);
    parser.on('abort', reject);
    parser.on('end', resolve);
    parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }).catch((cause: unknown) => {
    throw new IntegrityError(`the tarball could not be read: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  });
  if (failure) throw failure;
  return contentHash(files);
}
