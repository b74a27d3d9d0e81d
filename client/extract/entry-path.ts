/** The rules for one tar entry's path and type, as pure functions: what may be written, and where. */
import { relativePathProblem } from '../../core/tarball-contract.js';

export type ArchiveEntryKind = 'file' | 'directory';

/** Why an entry of this tar type is refused, or its kind when it is allowed. */
export function entryKind(type: string): ArchiveEntryKind | { refused: string } {
  switch (type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
      return 'directory';
    case 'SymbolicLink':
      return { refused: 'is a symbolic link (links are never extracted)' };
    case 'Link':
      return { refused: 'is a hard link (links are never extracted)' };
    case 'CharacterDevice':
    case 'BlockDevice':
      return { refused: 'is a device file' };
    case 'FIFO':
      return { refused: 'is a FIFO' };
    default:
      return { refused: `has the unsupported entry type ${JSON.stringify(type)}` };
  }
}

/**
 * The path segments of an entry below the single top-level directory `top`, or why it is refused
 * (the tarball contract's path rules). `[]` is the top-level directory itself.
 */
export function entrySegments(path: string, top: string): string[] | { refused: string } {
  const segments = path.split('/');
  // One trailing slash marks a directory; any other empty segment is suspicious.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  const problem = relativePathProblem(segments.join('/'));
  if (problem) return { refused: problem };
  if (segments[0] !== top) return { refused: `is outside the package's top-level directory ${JSON.stringify(top)}` };
  return segments.slice(1);
}

/** Files keep one bit of their mode: executable (0755) or not (0644). */
export function fileMode(mode: number | undefined): 0o644 | 0o755 {
  return (mode ?? 0) & 0o111 ? 0o755 : 0o644;
}
