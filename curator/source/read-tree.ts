/** The files of a source tree as the packer sees them (listed by the one ls-tree parser in core/git/ls-tree.ts). */
import type { GitEntryKind } from '../../core/git/ls-tree.js';

export type SourceEntryKind = GitEntryKind;

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

/** Whether a git file mode marks the file executable (packed as 0755; everything else 0644). */
export function isExecutable(mode: string): boolean {
  return mode === '100755';
}
