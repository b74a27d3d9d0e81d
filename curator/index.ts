/**
 * The curator as a library (`import … from 'granary/curator'`): run the pull-request gate on a registry
 * clone or on two trees, curate what merged (pack, upload, write and sign the index), pack one version,
 * build release stores, read registry.yaml, make keys and roots, build and check the index, and the
 * registry-side tasks of the command line (init, import, submit, watch, automerge, doctor). This module is
 * what other tools embed, and the one the `granary` command line uses: what it exports is the API; the
 * modules behind it are internal and may move. The Probot app (`npm start`) is not part of it.
 *
 * ```ts
 * import { reportOk, summarizeReport, validateRepo } from 'granary/curator';
 *
 * const report = await validateRepo({ repo: 'registry', base: 'main', head: 'add-hello', author: 'alice' });
 * console.log(summarizeReport(report));
 * process.exitCode = reportOk(report) ? 0 : 1;
 * ```
 */

// The gate: one change (base..head), or the whole registry.
export { validateRepo, type RepoValidation } from './validate/run-on-repo.js';
export { validateChange } from './validate/validate-change.js';
export { validateRegistry } from './validate/validate-registry.js';
export { describeOperation, reportOk, summarizeReport } from './validate/operations.js';
export type {
  ChangeInput,
  Operation,
  OperationKind,
  PullRequestContext,
  RegistryOptions,
  ValidationReport,
} from './validate/types.js';
export type { ChangedFile, PackableCheck, RegistryHistory, RegistryTree, TreeEntry } from './registry/types.js';
export { createPackableCheck, type PackableCheckOptions } from './pack/check.js';

// Curating what merged.
export { curateClone, type CurateCloneOptions } from './curate/curate-clone.js';
export { curate, registryAt } from './curate/curate.js';
export type { CurateOptions, CurateReport, PublishedVersion } from './curate/types.js';
export { describePlan, type CurationPlan } from './curate/plan.js';
export { readSigningKey, SIGNING_KEY_ENV } from './curate/signing-key.js';
export type { PullRequestRecords } from './curate/merge-gate.js';

// Packing one version.
export { packVersion } from './pack/pack.js';
export { packFile, type PackFileOptions, type PackedFile } from './pack/pack-file.js';
export type { PackFunction, PackOptions, PackResult } from './pack/types.js';

// Release stores.
export { createFsStore } from './stores/fs-store.js';
export { createGitHubStore, type GitHubStoreOptions } from './stores/github-store.js';
export { parseStoreSpec, type StoreSpecOptions } from './stores/spec.js';
export type { PutResult, ReleaseStore } from './stores/store.js';

// registry.yaml and the repository's layout.
export { parseRegistryConfig, type RegistryConfig, type ReleaseLayout } from '../core/registry-config.js';
export { parseRegistrySettings, validSettings, type RegistrySettings } from './registry/parse.js';
export { OVERRIDES_DIR, PACKAGES_DIR, REGISTRY_YAML } from './registry/layout.js';
export { Git, REGISTRY_REPO_HINT, type GitOptions } from './git/repository.js';

// Keys, roots and the index.
export { generateKeyPair, type KeyPair } from '../core/signing.js';
export {
  initRoot,
  rotateRoot,
  signRootFile,
  verifyRootFolder,
  writeRoot,
  type RootPlanFlags,
} from './index/tuf/ceremony.js';
export { parseRoot, type RootSigned } from './index/tuf/root.js';
export {
  buildIndexInto,
  checkIndexOfClone,
  type BuildIntoOptions,
  type BuiltIndex,
  type IndexCloneOptions,
} from './index/index-clone.js';
export { refreshIndex, type RefreshOptions, type RefreshReport } from './index/refresh.js';

// Beside the index on its branch: the daily download counts and the website.
export { collectDownloadStats, type CollectOptions, type CollectReport } from './stats/collect.js';
export { collectStatsOfClone, type CollectCloneOptions } from './stats/collect-clone.js';
export { publishSite, type PublishSiteOptions, type PublishedSite } from './site/publish-site.js';

// New registries, imports, submissions and watching sources.
export { LOCAL_STORE } from './defaults.js';
export { createRegistry, type CreatedRegistry } from './init/create-registry.js';
export type { InitOptions } from './init/registry-yaml.js';
export {
  importBower,
  type BowerImportOptions,
  type BowerImportReport,
  type BowerPackageReport,
} from './import/bower.js';
export { importPurescript, type ImportOptions, type ImportReport } from './import/import-purescript.js';
export { submit, SUBMIT_REGISTRY_ENV, type SubmitOptions, type SubmitResult } from './submit/submit.js';
export { watchRegistry, type WatchOptions, type WatchedPackage } from './watch/watch.js';

// GitHub: clients, automerge and the repository's settings.
export {
  createOctokit,
  octokitFromEnv,
  parseRepoRef,
  requiredOctokitFromEnv,
  type GitHub,
  type OctokitOptions,
  type RepoRef,
} from './github/octokit.js';
export { automerge, type AutomergeDecision, type AutomergeOptions } from './github/automerge.js';
export {
  diagnose,
  fixSettings,
  readRepositorySettings,
  type Finding,
  type RepositorySettings,
} from './github/doctor.js';

// Errors a caller may catch: the hierarchy every failure belongs to, and the classes the curator throws.
export {
  AssetConflictError,
  ConcurrencyError,
  GitError,
  GitHubApiError,
  GranaryError,
  InputError,
  IntegrityError,
  LimitError,
  SourceError,
  StoreError,
  TrustError,
  UsageError,
  ValidationFailed,
  exitCodeOf,
  formatError,
  formatProblem,
  type ErrorDetails,
  type Problem,
} from '../core/errors.js';
