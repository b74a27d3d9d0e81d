/** The contract of the packer: one definition in, one reproducible tarball and its hashes out. */
import type { Override, PackageDefinition } from '../../schema/types.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { GitRunner } from '../../core/git/run.js';

/** What packing needs besides the definition: registry.yaml's settings, the override, where to work. */
export interface PackOptions {
  registry: RegistryConfig;
  /** The override present at publish time, baked into granary.json. */
  override?: Override;
  /** Resolve relative `file://` sources and scratch space against these. */
  cwd?: string;
  /** Abort long git operations. */
  signal?: AbortSignal;
  /** Runs git (default: real processes through core/git/run.ts); tests inject one to watch or refuse calls. */
  git?: GitRunner;
  /** Where the temporary source repository is made (default: the OS temp directory). */
  tmpDir?: string;
  /** Environment to take PATH, proxy and CA settings from for git (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** One packed version: the tarball, its hashes and what went into it. */
export interface PackResult {
  name: string;
  version: string;
  /** `<stem>-<version>.tar.gz` */
  fileName: string;
  bytes: Buffer;
  sha256: string;
  integrity: string;
  size: number;
  /** SHA-256 over sorted (path, sha256 of contents, mode): survives recompression. */
  contentHash: string;
  /** The commit `ref` resolved to. */
  commit: string;
  /** Number of regular files in the tarball (granary.json included). */
  files: number;
  /** Symlinks and submodules left out, and similar notes. */
  warnings: string[];
  /** Paths packed, relative to the package root (granary.json included). */
  paths: string[];
  /** The definition's `files.add` patterns that matched no file. */
  unmatchedAdded: string[];
  /** The license files at the package root (LICENSE, COPYING, …) and their text, for the license check. */
  licenseFiles: Array<{ path: string; text: string }>;
}

/** A packer: `packVersion`, or one a test or a dry run supplies. */
export type PackFunction = (definition: PackageDefinition, options: PackOptions) => Promise<PackResult>;
