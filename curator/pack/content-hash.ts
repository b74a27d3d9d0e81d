/**
 * The content hash: SHA-256 over the sorted list of (path, SHA-256 of contents, mode) of a tarball's
 * regular files. It does not depend on compression or tar encoding, so anyone can recompute it from
 * an unpacked tarball. The exact byte format is in docs/packing.md.
 */
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { IntegrityError } from '../../core/errors.js';

export interface ContentFile {
  /** Relative to the tarball's top directory (`<name>-<version>/` removed), `/`-separated. */
  path: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  /** Executable (0755) or not (0644). */
  executable: boolean;
}

/** One line per file, `<644|755> <sha256 hex> <path>\n`, sorted by the path's UTF-8 bytes; the hash is SHA-256 (hex) of all lines. */
export function contentHash(files: ContentFile[]): string {
  const sorted = files
    .map((f) => ({ f, key: Buffer.from(f.path, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  const hash = createHash('sha256');
  for (let i = 0; i < sorted.length; i++) {
    const { f, key } = sorted[i]!;
    if (i > 0 && Buffer.compare(sorted[i - 1]!.key, key) === 0)
      throw new IntegrityError(`the file ${JSON.stringify(f.path)} appears twice`);
    if (f.path.includes('\n')) throw new IntegrityError(`a file name contains a newline: ${JSON.stringify(f.path)}`);
    hash.update(`${f.executable ? '755' : '644'} ${f.sha256} ${f.path}\n`, 'utf8');
  }
  return hash.digest('hex');
}

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
