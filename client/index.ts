/**
 * The client as a library (`import … from 'granary'`): open a registry (HTTP, a directory or a git
 * clone) and read its verified index, resolve requests, fetch and verify tarballs and unpack them safely,
 * manage a project (install, update, remove, outdated, list; granary.yaml and granary.lock), verify
 * packages, mirror a registry, look packages up and search them, build the registry's static website.
 * This module is the face other tools embed, and the one the `granary` command line uses: what it
 * exports is the API; the modules behind it are internal and may move.
 *
 * Every failure is a `GranaryError` (its `code` is stable, `where` says where, `hint` what to do).
 *
 * ```ts
 * import { defaultCacheDir, extractPackage, fetchTarball, openRegistry, resolve } from 'granary';
 *
 * const registry = await openRegistry('https://example.org/index', { cwd: process.cwd(), trustKey: 'ed25519:…' });
 * const resolution = await resolve(registry, [{ name: 'left-pad', range: '^1.0.0' }]);
 * for (const line of resolution.packages.values()) {
 *   const { bytes } = await fetchTarball(registry, line, { cacheDir: defaultCacheDir(process.env) });
 *   await extractPackage(bytes, `vendor/${line.name}`, line);
 * }
 * ```
 */
import type * as ExtractPackage from './extract/extract-package.js';
import type * as FetchTarball from './fetch/fetch-tarball.js';
import type * as Install from './install.js';
import type * as List from './list.js';
import type * as Mirror from './mirror.js';
import type * as Outdated from './outdated.js';
import type * as Remove from './remove.js';
import type * as BuildSite from './site/build-site.js';
import type * as Update from './update.js';
import type * as Verify from './verify.js';

// The operations that download, write or check many files are loaded on their first call: the command line
// imports this module for every command, and `granary info` should not load the installer (with tar), the
// mirror, the verifier and the site builder (with a Markdown renderer and an HTML sanitizer) to print a package.

// Reading a registry.
export { defaultCacheDir, openRegistry } from './registry.js';
export { readIndex } from './read-index.js';
export type { OpenOptions, Registry, Request, Resolution, ResolveOptions } from './types.js';
export type { IndexSource } from './source.js';
export type { IndexConfig, IndexLine, PackageSummary, PackagesFile, Snapshot } from '../schema/types.js';

// Resolving.
export { resolve, parseSpec } from './resolve/resolve.js';

// Fetching, verifying and unpacking one package.
export type { FetchOptions, TarballRef } from './fetch/fetch-tarball.js';
export type { CachedAsset } from './fetch/cache.js';
export type { ReadOptions } from './fetch/read-verified.js';
export type { ExtractStats } from './extract/safe-extract.js';
export type { TarballLimits } from '../core/tarball-contract.js';
export { assetLocation } from './fetch/asset-path.js';

/**
 * The verified bytes of a package's tarball (an index line, or a lockfile entry with its name): from the
 * cache under `options.cacheDir` when there and intact, else downloaded from the registry's asset base,
 * its size and SHA-256 checked against the line, and cached.
 */
export const fetchTarball: typeof FetchTarball.fetchTarball = async (...args) =>
  (await import('./fetch/fetch-tarball.js')).fetchTarball(...args);

/** Unpack a package's verified tarball into `dest` (which must not exist): regular files and directories only, nothing outside `dest`. */
export const extractPackage: typeof ExtractPackage.extractPackage = async (...args) =>
  (await import('./extract/extract-package.js')).extractPackage(...args);

// A project: granary.yaml, granary.lock and the install directory.
export type {
  InstallOptions,
  InstallReport,
  InstalledPackage,
  PackageChange,
  PlacementOptions,
  RequestChange,
} from './install.js';
export type { UpdateOptions } from './update.js';
export type { RemoveOptions } from './remove.js';
export type { OutdatedOptions, OutdatedPackage, OutdatedReport } from './outdated.js';
export type { ListOptions, ListReport, ListedPackage } from './list.js';
export { DEFAULT_DEPS, shownPath, type ClientDeps, type ProjectOptions } from './project.js';
export { noRegistryGiven, relocateSpec } from './project-registry.js';
export { editManifest, parseManifest, readManifest, type Manifest, type ManifestEdit } from './manifest.js';
export { parseLockfile, readLockfile, writeLockfile, type LockedPackage, type Lockfile } from './lockfile.js';
export {
  DEFAULT_INSTALL_DIR,
  DEFAULT_JOBS,
  DEFAULT_MAX_TARBALL_BYTES,
  LOCKFILE_NAME,
  MANIFEST_NAME,
} from './defaults.js';

/**
 * Install packages into the project's install directory and keep granary.yaml and granary.lock in step;
 * nothing there changes unless every package downloaded, verified and extracted.
 */
export const install: typeof Install.install = async (...args) => (await import('./install.js')).install(...args);

/** Update the project's packages within their ranges (or, with `latest`, to the newest versions) and install them. */
export const update: typeof Update.update = async (...args) => (await import('./update.js')).update(...args);

/** Remove dependencies from the project; the other packages keep their locked versions. */
export const remove: typeof Remove.remove = async (...args) => (await import('./remove.js')).remove(...args);

/** Compare the project's lockfile with the index: what could be updated. Changes nothing. */
export const outdated: typeof Outdated.outdated = async (...args) => (await import('./outdated.js')).outdated(...args);

/** The project's installed tree, as the lockfile and the install directory record it. */
export const listInstalled: typeof List.listInstalled = async (...args) =>
  (await import('./list.js')).listInstalled(...args);

// Verifying and mirroring.
export type { VerifyOptions, VerifyReport } from './verify.js';
export type { MirrorOptions, MirrorReport } from './mirror.js';

/** Download and check every asset the registry lists (every line not unpublished) against its size and SHA-256. */
export const verifyRegistry: typeof Verify.verifyRegistry = async (...args) =>
  (await import('./verify.js')).verifyRegistry(...args);

/** Download and check every asset a lockfile pins; `locate` gives each one's URL or path. */
export const verifyLockfile: typeof Verify.verifyLockfile = async (...args) =>
  (await import('./verify.js')).verifyLockfile(...args);

/** Mirror a registry into a directory (index files, metadata and assets) that serves as a registry itself. */
export const mirrorRegistry: typeof Mirror.mirrorRegistry = async (...args) =>
  (await import('./mirror.js')).mirrorRegistry(...args);

// Looking packages up.
export { latestVersion, packageInfo, type PackageInfo, type VersionInfo } from './info.js';
export {
  SORT_ORDERS,
  searchPackages,
  searchDocuments,
  searchIndex,
  rankDocuments,
  type SearchDocument,
  type SearchHit,
  type SearchOptions,
  type SortOrder,
} from './search.js';

// The registry's static website.
export type { SiteOptions, SiteReport } from './site/build-site.js';
export type { DownloadStats } from './site/site-model.js';
export { normalizeBasePath } from './site/paths.js';
export { serveDirectory, type ServeOptions, type StaticServer } from './site/static-server.js';

/** Build the registry's static website (package pages, search, lookup by hash) into `options.outDir`. */
export const buildSite: typeof BuildSite.buildSite = async (...args) =>
  (await import('./site/build-site.js')).buildSite(...args);

// Progress of long operations (install, verify, mirror), drawn as the command line draws it.
export {
  lineProgress,
  progressFor,
  silentProgress,
  terminalProgress,
  type Progress,
  type ProgressChoice,
} from './progress.js';

// Errors a caller may catch: the hierarchy every failure belongs to, and the client's own.
export {
  GranaryError,
  GitError,
  InputError,
  IntegrityError,
  LimitError,
  ResolutionError,
  SourceError,
  TrustError,
  UnsafeArchiveError,
  UsageError,
  exitCodeOf,
  formatError,
  type ErrorDetails,
} from '../core/errors.js';
export { DownloadError } from './fetch/download-error.js';
export { LockfileMismatchError } from './lockfile.js';
export { ForeignDirectoryError, type RefusedDirectory } from './install-state.js';
