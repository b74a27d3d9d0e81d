/** What the app needs from the rest of the curator, passed in so tests run it with real parts and no monkey-patching. */
import type { CurateOptions, CurateReport } from '../curate/types.js';
import type { ReleaseStore } from '../stores/store.js';
import type { GitHub } from '../github/octokit.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { PackableCheck } from '../registry/types.js';
import type { ChangeInput, ValidationReport } from '../validate/types.js';
import type { RegistryCheckout } from './registry-checkout.js';

export interface AppDependencies {
  validateChange: (input: ChangeInput) => Promise<ValidationReport>;
  curate: (options: CurateOptions) => Promise<CurateReport>;
  /** The dry-run packer for added versions, made with the base's registry.yaml; without it the check skips packing. */
  checkPackable?: (registry: RegistryConfig) => PackableCheck;
  checkout: RegistryCheckout;
  /** The stores a repository publishes to, primary first (production: its GitHub releases). */
  stores: (target: {
    owner: string;
    repo: string;
    octokit: GitHub;
    /** registry.yaml `releases` of the commit being curated. */
    releases: RegistryConfig['releases'];
    /** registry.yaml `limits` of that commit (the pace of content-creating requests among them). */
    limits?: RegistryConfig['limits'];
  }) => ReleaseStore[] | Promise<ReleaseStore[]>;
  /** Count downloads on the passes (at most once a UTC day: stats/downloads.json on the index branch). */
  downloadStats?: boolean;
  /**
   * Keep the website under site/ of the index branch (rebuilt when the index or the counts changed), with the
   * client's cache of verified tarballs kept here between passes.
   */
  site?: { cacheDir: string };
  /** PEM of the Ed25519 key that signs snapshot.json (GRANARY_SIGNING_KEY). */
  signingKeyPem?: string;
  now?: () => Date;
  /** `https://github.com` unless GitHub Enterprise Server. */
  webUrl?: string;
  /** The registries served (`owner/repo`, lowercased); events from others are ignored before any API call. Unset: every repository (tests). */
  repositories?: ReadonlySet<string>;
}
