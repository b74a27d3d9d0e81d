/** The file list of one tree, from `git ls-tree -r -l -z`: paths, git modes, object ids and sizes. */

export type SourceEntryKind = 'file' | 'symlink' | 'submodule' | 'other';

export interface SourceEntry {
  /** Relative to the package root (the subdir, when there is one), `/`-separated, as stored in git. */
  path: string;
  /** The git mode, e.g. `100644`, `100755`, `120000`, `160000`. */
  mode: string;
  kind: SourceEntryKind;
  id: string;
  /** Blob size in bytes; 0 for submodules. */
  size: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse the NUL-separated output of `git ls-tree -r -l -z`. A path that is not valid UTF-8 keeps
 * U+FFFD in place of the bad bytes, which the packer refuses.
 */
export function parseLsTree(output: Buffer): SourceEntry[] {
  const entries: SourceEntry[] = [];
  let start = 0;
  while (start < output.length) {
    let end = output.indexOf(0, start);
    if (end < 0) end = output.length;
    const record = output.subarray(start, end);
    start = end + 1;
    const tab = record.indexOf(0x09);
    const m = /^(\d{6}) (\w+) ([0-9a-f]{40}) +(\d+|-)$/.exec(tab < 0 ? '' : record.subarray(0, tab).toString('latin1'));
    if (!m)
      throw new Error(`unexpected git ls-tree output: ${JSON.stringify(record.subarray(0, 120).toString('latin1'))}`);
    const mode = m[1]!;
    entries.push({
      path: decodePath(record.subarray(tab + 1)),
      mode,
      kind: kindOf(mode, m[2]!),
      id: m[3]!,
      size: m[4] === '-' ? 0 : Number(m[4]),
    });
  }
  return entries;
}

function decodePath(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function kindOf(mode: string, type: string): SourceEntryKind {
  if (type === 'blob' && (mode === '100644' || mode === '100755' || mode === '100664')) return 'file';
  if (type === 'blob' && mode === '120000') return 'symlink';
  if (type === 'commit' && mode === '160000') return 'submodule';
  return 'other';
}

/** Whether a git file mode marks the file executable (packed as 0755; everything else 0644). */
export function isExecutable(mode: string): boolean {
  return mode === '100755';
}
