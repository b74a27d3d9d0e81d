/**
 * The client as a library: open a registry (HTTP, a directory or a git clone), resolve requests,
 * install and verify packages, mirror a registry, look packages up. This is the face other tools
 * embed; the modules behind it are internal and may move.
 *
 * ```ts
 * import { openRegistry, resolve } from './client/index.js';
 * const registry = await openRegistry('https://example.org/index', { cwd: process.cwd(), trustKey: 'ed25519:…' });
 * const resolution = await resolve(registry, [{ name: 'left-pad', range: '^1.0.0' }]);
 * ```
 */
export { defaultCacheDir, openRegistry } from './registry.js';
export { resolve, parseSpec } from './resolve/resolve.js';
export { install, type InstallOptions, type InstallReport, type InstalledPackage } from './install.js';
export { verifyLockfile, verifyRegistry, type VerifyOptions, type VerifyReport } from './verify.js';
export { mirrorRegistry, type MirrorOptions, type MirrorReport } from './mirror.js';
export { latestVersion, packageInfo, type PackageInfo, type VersionInfo } from './info.js';
export { searchPackages, type SearchHit } from './search.js';
export { parseLockfile, readLockfile, writeLockfile, type LockedPackage, type Lockfile } from './lockfile.js';
export { DEFAULT_INSTALL_DIR, DEFAULT_JOBS, LOCKFILE_NAME } from './defaults.js';
export type { OpenOptions, Registry, Request, Resolution, ResolveOptions } from './types.js';
