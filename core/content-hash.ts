/**
 * The content hash: SHA-256 over the sorted list of (path, SHA-256 of contents, mode) of a package's
 * regular files. It does not depend on compression or tar encoding, so anyone can recompute it from
 * an unpacked tarball: the packer records it per version, the client fingerprints what it installed
 * with it. The exact byte format is in docs/packing.md.
 */
import { createHash } from 'node:crypto';
import { IntegrityError } from './errors.js';

export interface ContentFile {
  /** Relative to the package's top directory (`<name>-<version>/` removed), `/`-separated. */
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
