/** Unpack a verified .tar.gz into a fresh directory, refusing anything that could write outside it or blow up. */
import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TARBALL_LIMITS, type TarballLimits } from '../../core/tarball-contract.js';
import { readTarball } from './read-tarball.js';

export interface ExtractTarget {
  /** `name@version`, for messages. */
  label: string;
  /** The one top-level directory every entry must be under (`<stem>-<version>`); it is stripped. */
  top: string;
}

/** What an extraction wrote. */
export interface ExtractStats {
  files: number;
  directories: number;
  /** Bytes of file contents written. */
  bytes: number;
}

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
  const stats: ExtractStats = { files: 0, directories: 0, bytes: 0 };
  const madeDirs = new Set<string>([dest]);
  const ensureDir = (abs: string): void => {
    if (madeDirs.has(abs)) return;
    mkdirSync(abs, { recursive: true, mode: 0o755 });
    madeDirs.add(abs);
  };
  // Writes are synchronous: for the many small files of a source package this avoids a thread-pool
  // round trip per system call, and the parser is never ahead of the disk, which bounds memory.
  await readTarball(
    tarball,
    {
      ...target,
      hint: 'nothing of this package was installed; the tarball is not one a Granary curator builds — report it to the registry operators',
    },
    caps,
    {
      directory(rel) {
        stats.directories++;
        ensureDir(join(dest, ...rel.split('/')));
      },
      file(rel, data, mode) {
        const abs = join(dest, ...rel.split('/'));
        ensureDir(dirname(abs));
        writeFileExclusive(abs, data, mode);
        stats.files++;
        stats.bytes += data.byteLength;
      },
    },
  );
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
