/** Unpack a verified .tar.gz into a fresh directory, refusing anything that could write outside it or blow up. */
import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { UnsafeArchiveError } from '../../core/errors.js';
import { expansionProblem, TARBALL_LIMITS, TarballTree, type TarballLimits } from '../../core/tarball-contract.js';
import { entryKind, entrySegments, fileMode } from './entry-path.js';

export interface ExtractTarget {
  /** `name@version`, for messages. */
  label: string;
  /** The one top-level directory every entry must be under (`<stem>-<version>`); it is stripped. */
  top: string;
}

export interface ExtractStats {
  files: number;
  directories: number;
  /** Bytes of file contents written. */
  bytes: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/**
 * Extract `tarball` (gzip-compressed tar) into `dest`, which must not exist yet. Only regular files
 * and directories under `target.top` are written, with modes 0644/0755; on any refusal `dest` is removed.
 */
export async function extractTarball(
  tarball: Buffer,
  dest: string,
  target: ExtractTarget,
  limits: Partial<TarballLimits> = {},
): Promise<ExtractStats> {
  const caps = { ...TARBALL_LIMITS, ...limits };
  await mkdir(dest);
  try {
    return await unpack(tarball, dest, target, caps);
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw error;
  }
}

async function unpack(
  tarball: Buffer,
  dest: string,
  target: ExtractTarget,
  caps: TarballLimits,
): Promise<ExtractStats> {
  const refuse = (entry: string | undefined, reason: string): UnsafeArchiveError =>
    new UnsafeArchiveError(
      entry === undefined
        ? `the tarball of ${target.label} ${reason}`
        : `the tarball of ${target.label} has an entry ${JSON.stringify(entry.slice(0, 200))} that ${reason}`,
      {
        where: target.label,
        hint: 'nothing of this package was installed; the tarball is not one a Granary curator builds — report it to the registry operators',
      },
    );

  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
  };
  const stats: ExtractStats = { files: 0, directories: 0, bytes: 0 };
  const tree = new TarballTree();
  const madeDirs = new Set<string>([dest]);
  let entries = 0;
  let declared = 0;

  const ensureDir = (abs: string): void => {
    if (madeDirs.has(abs)) return;
    mkdirSync(abs, { recursive: true, mode: 0o755 });
    madeDirs.add(abs);
  };
  // Writes are synchronous: for the many small files of a source package this avoids a thread-pool
  // round trip per system call, and the parser is never ahead of the disk, which bounds memory.
  const write = (entry: string, work: () => void): void => {
    try {
      work();
    } catch (error) {
      fail(
        refuse(entry, `could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`),
      );
    }
  };

  const onEntry = (entry: ReadEntry): void => {
    if (failure) return void entry.resume();
    const problem = checkEntry(entry);
    if (typeof problem === 'string') {
      fail(refuse(entry.path, problem));
      return void entry.resume();
    }
    if (problem === undefined) return void entry.resume();
    const { rel, kind } = problem;
    const abs = join(dest, ...rel.split('/'));
    if (kind === 'directory') {
      stats.directories++;
      write(entry.path, () => ensureDir(abs));
      return void entry.resume();
    }
    const chunks: Buffer[] = [];
    let got = 0;
    const mode = fileMode(entry.mode);
    entry.on('end', () => {
      if (failure) return;
      if (got !== entry.size) return fail(refuse(entry.path, 'is truncated'));
      stats.files++;
      stats.bytes += got;
      write(entry.path, () => {
        ensureDir(dirname(abs));
        writeFileExclusive(abs, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, got), mode);
      });
    });
    entry.on('data', (chunk: Buffer) => {
      got += chunk.byteLength;
      chunks.push(chunk);
    });
  };

  // The rules for one entry: a reason to refuse, undefined to skip (the top directory), or what to write.
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
  return stats;
}

function writeFileExclusive(path: string, data: Buffer, mode: number): void {
  // 'wx' never follows or replaces anything already at the path.
  const fd = openSync(path, 'wx', mode);
  try {
    let written = 0;
    while (written < data.byteLength) written += writeSync(fd, data, written);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

function startsWith(chunk: Buffer, magic: number[]): boolean {
  return chunk.byteLength >= magic.length && magic.every((b, i) => chunk[i] === b);
}
