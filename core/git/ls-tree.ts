/** The one parser of `git ls-tree -r -z [-l]`: paths, modes, types, object ids and sizes. */

/** What a tree entry is: a regular file, a symbolic link, a submodule, or anything else (never packed). */
export type GitEntryKind = 'file' | 'symlink' | 'submodule' | 'other';

export interface LsTreeEntry {
  /** `/`-separated, relative to the tree listed, as stored in git. */
  path: string;
  /** The git mode, e.g. `100644`, `100755`, `120000`, `160000`. */
  mode: string;
  /** `blob`, `commit` (a submodule) or `tree`. */
  type: string;
  kind: GitEntryKind;
  id: string;
  /** Blob size in bytes, when listed with `-l` (undefined for submodules and without `-l`). */
  size: number | undefined;
}

const RECORD = /^(\d{6}) (\w+) ([0-9a-f]{40}|[0-9a-f]{64})(?: +(\d+|-))?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The kind of an entry from its git mode (and type, when known). */
export function kindOfMode(mode: string, type?: string): GitEntryKind {
  const blob = type === undefined || type === 'blob';
  if (blob && (mode === '100644' || mode === '100755' || mode === '100664')) return 'file';
  if (blob && mode === '120000') return 'symlink';
  if ((type === undefined || type === 'commit') && mode === '160000') return 'submodule';
  return 'other';
}

/**
 * Parse the NUL-separated output of `git ls-tree -r -z [-l]`. A path that is not valid UTF-8 keeps
 * U+FFFD in place of the bad bytes (which the packer refuses); a malformed record is an error.
 */
export function parseLsTree(output: Buffer): LsTreeEntry[] {
  const entries: LsTreeEntry[] = [];
  let start = 0;
  while (start < output.length) {
    let end = output.indexOf(0, start);
    if (end < 0) end = output.length;
    const record = output.subarray(start, end);
    start = end + 1;
    const tab = record.indexOf(0x09);
    const m = RECORD.exec(tab < 0 ? '' : record.subarray(0, tab).toString('latin1'));
    if (!m)
      throw new Error(`unexpected git ls-tree output: ${JSON.stringify(record.subarray(0, 120).toString('latin1'))}`);
    const [, mode = '', type = '', id = '', size] = m;
    entries.push({
      path: decodePath(record.subarray(tab + 1)),
      mode,
      type,
      kind: kindOfMode(mode, type),
      id,
      size: size === undefined || size === '-' ? undefined : Number(size),
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
