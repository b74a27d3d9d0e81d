/** The rules for one tar entry's path and type, as pure functions: what may be written, and where. */

export type EntryKind = 'file' | 'directory';

/** Why an entry of this tar type is refused, or its kind when it is allowed. */
export function entryKind(type: string): EntryKind | { refused: string } {
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
 * The path segments of an entry below the single top-level directory `top`, or why it is refused.
 * `[]` is the top-level directory itself.
 */
export function entrySegments(path: string, top: string): string[] | { refused: string } {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { refused: 'has an absolute path' };
  if (path.includes('\\')) return { refused: 'has a backslash in its path' };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(path)) return { refused: 'has a control character in its path' };
  const segments = path.split('/');
  // One trailing slash marks a directory; any other empty segment is suspicious.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    if (segment === '..') return { refused: 'has a ".." segment in its path' };
    if (segment === '' || segment === '.') return { refused: 'has an empty or "." segment in its path' };
  }
  if (segments[0] !== top) return { refused: `is outside the package's top-level directory ${JSON.stringify(top)}` };
  return segments.slice(1);
}

/** Files keep one bit of their mode: executable (0755) or not (0644). */
export function fileMode(mode: number | undefined): 0o644 | 0o755 {
  return (mode ?? 0) & 0o111 ? 0o755 : 0o644;
}
