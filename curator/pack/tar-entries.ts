/**
 * Tar headers for reproducible archives, encoded with node-tar's `Header` (ustar) and `Pax` (for paths
 * ustar cannot hold). Every field that could vary between machines is fixed.
 */
import { Header, Pax } from 'tar';

/** The modification time of every entry: the Unix epoch. */
export const FIXED_MTIME = new Date(0);

export interface TarEntry {
  /** The path inside the archive; directories end with `/`. */
  path: string;
  type: 'File' | 'Directory';
  mode: 0o644 | 0o755;
  size: number;
}

/** The header block(s) of one entry: a PAX extended header first when the path needs it. */
export function tarHeader(entry: TarEntry): Buffer {
  const header = new Header({
    path: entry.path,
    type: entry.type,
    mode: entry.mode,
    size: entry.type === 'Directory' ? 0 : entry.size,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime: FIXED_MTIME,
  });
  const needsPax = header.encode();
  const block = header.block!;
  if (!needsPax) return block;
  // Only the path can overflow (sizes are far below the 8 GiB ustar limit); the PAX record carries it in full.
  const pax = new Pax({ path: entry.path, uid: 0, gid: 0, mtime: FIXED_MTIME }).encode();
  return Buffer.concat([pax, block]);
}

/** Zero bytes that pad `size` bytes of content to a whole 512-byte block. */
export function tarPadding(size: number): Buffer {
  const rest = size % 512;
  return rest === 0 ? EMPTY : Buffer.alloc(512 - rest);
}

const EMPTY = Buffer.alloc(0);

/** The end-of-archive marker: two zero blocks. */
export const TAR_END = Buffer.alloc(1024);
