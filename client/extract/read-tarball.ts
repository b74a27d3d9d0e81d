/**
 * The one reader of a package tarball: gunzip and parse it in memory, applying every rule of the tarball
 * contract to each entry (the one top-level directory, safe relative paths, regular files and directories
 * only, no collisions, the entry, byte and expansion caps), and hand each accepted directory and file to
 * the caller. `granary install` writes them (safe-extract.ts); the website reads a few without writing
 * (client/site/tarball-files.ts). Anything refused is an UnsafeArchiveError naming the entry.
 */
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { UnsafeArchiveError } from '../../core/errors.js';
import { expansionProblem, TarballTree, type TarballLimits } from '../../core/tarball-contract.js';
import { entryKind, entrySegments, fileMode } from './entry-path.js';

export interface TarballTarget {
  /** `name@version`, for messages. */
  label: string;
  /** The one top-level directory every entry must be under (`<stem>-<version>`); it is stripped. */
  top: string;
  /** What a refusal's hint says (besides "the tarball is not one a Granary curator builds"). */
  hint: string;
}

/** What the reader hands over; either may throw to stop the read (the error names the entry). */
export interface TarballVisitor {
  /** A directory, `/`-separated relative to the package root. */
  directory(rel: string): void;
  /** A regular file: its relative path, whole contents and mode (0644 or 0755). */
  file(rel: string, data: Buffer, mode: number): void;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Read `tarball` (gzip-compressed tar) entry by entry; returns how many entries it had. */
export async function readTarball(
  tarball: Buffer,
  target: TarballTarget,
  caps: TarballLimits,
  visitor: TarballVisitor,
): Promise<number> {
  const refuse = (entry: string | undefined, reason: string): UnsafeArchiveError =>
    new UnsafeArchiveError(
      entry === undefined
        ? `the tarball of ${target.label} ${reason}`
        : `the tarball of ${target.label} has an entry ${JSON.stringify(entry.slice(0, 200))} that ${reason}`,
      { where: target.label, hint: target.hint },
    );

  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
  };
  const tree = new TarballTree();
  let entries = 0;
  let declared = 0;

  const hand = (entry: string, work: () => void): void => {
    try {
      work();
    } catch (error) {
      fail(
        refuse(entry, `could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`),
      );
    }
  };

  // The rules for one entry: a reason to refuse, undefined to skip (the top directory), or what it is.
  const checkEntry = (entry: ReadEntry): string | undefined | { rel: string; kind: 'file' | 'directory' } => {
    if (++entries > caps.maxEntries) return `goes past the cap of ${caps.maxEntries} entries`;
    const kind = entryKind(entry.type);
    if (typeof kind !== 'string') return kind.refused;
    const segments = entrySegments(entry.path, target.top);
    if (!Array.isArray(segments)) return segments.refused;
    if (segments.length === 0)
      return kind === 'directory' ? undefined : 'is not a directory but has the name of the top-level directory';
    const rel = segments.join('/');
    const conflict = tree.add(rel, kind);
    if (conflict) return conflict;
    if (kind === 'file') {
      declared += entry.size;
      if (declared > caps.maxBytes) return `goes past the cap of ${caps.maxBytes} unpacked bytes`;
    }
    return { rel, kind };
  };

  const onEntry = (entry: ReadEntry): void => {
    if (failure) return void entry.resume();
    const checked = checkEntry(entry);
    if (typeof checked === 'string') {
      fail(refuse(entry.path, checked));
      return void entry.resume();
    }
    if (checked === undefined) return void entry.resume();
    const { rel, kind } = checked;
    if (kind === 'directory') {
      hand(entry.path, () => visitor.directory(rel));
      return void entry.resume();
    }
    const chunks: Buffer[] = [];
    let got = 0;
    const mode = fileMode(entry.mode);
    entry.on('end', () => {
      if (failure) return;
      if (got !== entry.size) return fail(refuse(entry.path, 'is truncated'));
      hand(entry.path, () => visitor.file(rel, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, got), mode));
    });
    entry.on('data', (chunk: Buffer) => {
      got += chunk.byteLength;
      chunks.push(chunk);
    });
  };

  const parser = new Parser({ strict: true, brotli: false, zstd: false });
  parser.on('entry', onEntry);
  parser.on('ignoredEntry', (entry: ReadEntry) =>
    fail(refuse(entry.path, `has the unsupported entry type ${JSON.stringify(entry.type)}`)),
  );
  const parsed = new Promise<void>((done) => {
    parser.on('end', () => done());
    parser.on('error', (error: Error) => {
      fail(refuse(undefined, `is not a valid tar archive (${error.message})`));
      done();
    });
  });

  const gunzip = createGunzip();
  gunzip.end(tarball);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (total === 0 && (startsWith(chunk, GZIP_MAGIC) || startsWith(chunk, ZSTD_MAGIC))) {
        fail(refuse(undefined, 'is compressed twice'));
        break;
      }
      total += chunk.byteLength;
      const expansion = expansionProblem(total, tarball.byteLength, caps);
      if (expansion) fail(refuse(undefined, expansion));
      if (failure) break;
      parser.write(chunk);
      if (failure) break;
    }
  } catch (error) {
    fail(refuse(undefined, `is not valid gzip (${(error as Error).message})`));
  } finally {
    gunzip.destroy();
  }
  if (!failure) {
    parser.end();
    await parsed;
  }
  if (failure) throw failure;
  if (entries === 0) throw refuse(undefined, 'is empty');
  return entries;
}

function startsWith(chunk: Buffer, magic: number[]): boolean {
  return chunk.byteLength >= magic.length && magic.every((b, i) => chunk[i] === b);
}
