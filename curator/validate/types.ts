/** The contract of the PR gate: the same rules run on a local git range (CLI) and on a pull request read through the GitHub API (app). */
import type { Problem } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { Impact } from './impact.js';
import type { Dependencies } from '../../schema/types.js';
import type { ChangedFile, PackableCheck, RegistryHistory, RegistryTree } from '../registry/types.js';

/** Who opened and approved the pull request, and when it is being judged. */
export interface PullRequestContext {
  author: string;
  /** The pull request's number, when known (for messages). */
  pullRequest?: number;
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

export interface ChangeInput {
  base: RegistryTree;
  head: RegistryTree;
  changes: ChangedFile[];
  /**
   * Who opened and approved the change. Undefined when no pull request is known (a merge curated without
   * its PR record, a direct push): the rules that need a PR are not applied, and ownership continuity is
   * (a new version of an existing package may not change its owners or source location).
   */
  pr: PullRequestContext | undefined;
  /**
   * Whether `name@version` is in the index. A definition on base that never made it into the index (it was
   * refused at merge time) may then be edited: that is adding it again. Without it, every definition on base
   * counts as published.
   */
  published?: (name: string, version: string) => Promise<boolean>;
  /**
   * The effective dependencies of a published version, from the index (its line, overrides applied): the
   * dependency graph is then walked without reading and parsing a definition per version. Versions the
   * change touches are always read from its files.
   */
  publishedDependencies?: (name: string, version: string) => Promise<Dependencies | undefined>;
  checkPackable?: PackableCheck;
  /** Told of each added version as `checkPackable` dry-run packs it (the slow part: it fetches sources). */
  progress?: Progress;
  /** Without it, "never unpublished" is checked against the base tree only. */
  history?: RegistryHistory;
}

export interface RegistryOptions {
  history?: RegistryHistory;
}

export interface ValidationReport {
  problems: Problem[];
  operations: Operation[];
  /** Packages whose latest versions stop resolving or resolve differently with the change (overrides, yanks, unpublishes, new majors). */
  impact?: Impact[];
  /** How many definition and override files were checked. */
  checkedFiles: number;
}
