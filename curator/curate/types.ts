/** The contract of `curate`: what it takes and what it reports, shared by the CLI, the Actions workflow and the app. */
import type { Lifetimes } from '../index/tuf/repository.js';
import type { Git } from '../git/repository.js';
import type { PullRequestRecords } from './merge-gate.js';
import type { PackFunction } from '../pack/types.js';
import type { ReleaseStore } from '../stores/store.js';

/**
 * Points where a run can be made to fail, for crash-safety tests; each fires right after the step's effect
 * is durable: `store-write` (a tarball is in a store, its sidecar not yet), `sidecar-write` (both stored,
 * index not written), `index-write` (half of the index blobs written), `index-commit` (index commit made,
 * branch not moved).
 */
export type CurateFault = 'store-write' | 'sidecar-write' | 'index-write' | 'index-commit';

/** What one curate run takes: the clone, the stores, the signing key, and how far to go. */
export interface CurateOptions {
  /** A git checkout of the registry (main checked out or not; curate reads refs, never the work tree). */
  repoDir: string;
  /** The repository at `repoDir` when the caller has it open already: refs and objects are then read through its one reader (the caller closes it). */
  git?: Git;
  /** The first is primary: its asset base goes into config.json. */
  stores: ReleaseStore[];
  /** Branch that receives the index commits (default from registry.yaml, else `index`). */
  indexBranch?: string;
  /** PEM of the Ed25519 private key; snapshot.json is signed when given. */
  signingKeyPem?: string;
  /** Wall-clock time the metadata is signed at (expiry and the removal of replaced files count from it); default now. */
  now?: number;
  /** Metadata lifetimes (default DEFAULT_LIFETIMES). */
  lifetimes?: Lifetimes;
  /** The main-branch commit to curate up to (default: HEAD of the checkout). */
  head?: string;
  /** The branch `head` is the tip of: it must be the one registry.yaml `mainBranch` names (default main). */
  mainBranch?: string;
  dryRun?: boolean;
  /**
   * Count, do nothing: the gate runs, nothing is packed, uploaded or committed; the report's `published`
   * lists what a run would publish (with placeholder hashes) and `firstPublications` the packages it would
   * publish for the first time.
   */
  plan?: boolean;
  log?: (line: string) => void;
  /**
   * Who authored and approved each merged change (the app and the workflow look up its pull request on
   * GitHub; the CLI takes `--author`/`--approved-by`). Without it, each change is judged with the rules that
   * need no pull request, ownership continuity included.
   */
  pullRequests?: PullRequestRecords;
  /** The packer (default: curator/pack/pack.ts `packVersion`). */
  pack?: PackFunction;
  /** Called at each fault point; throwing there simulates a crash. Tests only: the CLI never sets it. */
  faults?: (step: CurateFault) => void;
}

/** A version a run published: its hashes and where each store holds its tarball. */
export interface PublishedVersion {
  name: string;
  version: string;
  sha256: string;
  integrity: string;
  size: number;
  asset: string;
  /** One URL per store, primary first. */
  urls: string[];
  commit: string;
}

/** What a run did: published, revised, unpublished and refused versions, and the index commit it made. */
export interface CurateReport {
  published: PublishedVersion[];
  revised: Array<{ name: string; version: string; revision: number }>;
  unpublished: Array<{ name: string; version: string }>;
  /** Changes refused (they should not have merged): nothing published for them, the rest went on. */
  refused: Array<{
    commit: string;
    file: string;
    message: string;
  }>;
  /** With `plan`: the packages whose first version the run would publish (a new release each, in a GitHub store). */
  firstPublications?: string[];
  /** The index commit made, or undefined when nothing changed (or dry run). */
  indexCommit: string | undefined;
  snapshotVersion: number | undefined;
  /** The main commit curated up to. */
  curatedCommit: string;
  /** Index files written by the index commit (changed blobs), 0 when none. */
  changedFiles?: number;
}
