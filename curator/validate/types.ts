/** The contract of the PR gate: the same rules run on a local git range (CLI) and on a pull request read through the GitHub API (app). */
import type { Problem } from '../../core/errors.js';
import type { PackageDefinition } from '../../schema/types.js';

export type EntryKind = 'file' | 'symlink' | 'submodule';

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

export interface ChangedFile {
  path: string;
  /** Renames arrive as a deletion plus an addition. */
  status: 'added' | 'modified' | 'deleted';
  /** The entry's kind at head (added/modified) or at base (deleted). */
  kind: EntryKind;
}

/** Who opened and approved the pull request, and when it is being judged. */
export interface PullRequestContext {
  author: string;
  approvers: string[];
  /** A trustee has approved (the CLI's `--trustee`; the app derives it from reviews). */
  trusteeApproved: boolean;
  /** Extra trustees beyond registry.yaml (e.g. members of `trusteeTeam`, looked up by the app). */
  extraTrustees?: string[];
  now: Date;
  /** When a version was published (for the unpublish window); undefined when unknown. */
  publishedAt?: (name: string, version: string) => Promise<Date | undefined>;
}

export type OperationKind =
  | 'new-package'
  | 'new-version'
  | 'transfer'
  | 'override'
  | 'yank'
  | 'deprecate'
  | 'unpublish'
  | 'registry-settings'
  | 'other';

/** One thing a pull request does, for the check run summary and the curator. */
export interface Operation {
  kind: OperationKind;
  file: string;
  name?: string;
  version?: string;
}

/**
 * Dry-run packing of an added version (the pack step plugs in here); problems point at the definition.
 * `text` is the definition file's text at head, so problems can name its lines.
 */
export type PackableCheck = (definition: PackageDefinition, file: string, text?: string) => Promise<Problem[]>;

/** What the registry's history knows beyond one tree; optional because not every reader has history. */
export interface RegistryHistory {
  /** Definition paths (`packages/...yaml`) that some earlier commit deleted: unpublished versions, never reusable. */
  deletedDefinitions(): Promise<ReadonlySet<string>>;
}

export interface ChangeInput {
  base: RegistryTree;
  head: RegistryTree;
  changes: ChangedFile[];
  pr: PullRequestContext;
  checkPackable?: PackableCheck;
  /** Without it, "never unpublished" is checked against the base tree only. */
  history?: RegistryHistory;
}

export interface RegistryOptions {
  history?: RegistryHistory;
}

export interface ValidationReport {
  problems: Problem[];
  operations: Operation[];
  /** How many definition and override files were checked. */
  checkedFiles: number;
}
