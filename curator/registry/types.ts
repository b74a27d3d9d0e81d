/** The registry repository as every reader sees it: a tree at one commit, a change between two, and the history beyond. */
import type { Problem } from '../../core/errors.js';
import type { PackageDefinition } from '../../schema/types.js';

export type EntryKind = 'file' | 'symlink' | 'submodule';

/** One entry of a registry tree. */
export interface TreeEntry {
  /** Repository-relative path with `/` separators. */
  path: string;
  kind: EntryKind;
  /** Size in bytes when the reader knows it without reading (lets the gate refuse huge files unread). */
  size?: number;
}

/** A read-only view of the registry repository at one commit. */
export interface RegistryTree {
  /** Every entry under `prefix` (e.g. `packages/`; `''` for the whole tree), recursively. */
  list(prefix: string): Promise<TreeEntry[]>;
  /** The bytes of a file, or undefined when there is none at `path`. */
  read(path: string): Promise<Buffer | undefined>;
}

/** A file a change adds, modifies or deletes. */
export interface ChangedFile {
  path: string;
  /** Renames arrive as a deletion plus an addition. */
  status: 'added' | 'modified' | 'deleted';
  /** The entry's kind at head (added/modified) or at base (deleted). */
  kind: EntryKind;
}

/** What the registry's history knows beyond one tree; optional because not every reader has history. */
export interface RegistryHistory {
  /** Definition paths (`packages/...yaml`) that some earlier commit deleted: unpublished versions, never reusable. */
  deletedDefinitions(): Promise<ReadonlySet<string>>;
}

/**
 * Dry-run packing of an added version (the pack step plugs in here); problems point at the definition.
 * `text` is the definition file's text at head, so problems can name its lines.
 */
export type PackableCheck = (definition: PackageDefinition, file: string, text?: string) => Promise<Problem[]>;
