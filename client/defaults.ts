/** The client's defaults, in a module that imports nothing, so the command line can show them in `--help` cheaply. */

/** Where `install` puts packages, relative to the project. */
export const DEFAULT_INSTALL_DIR = 'granary_packages';
/** The lockfile's name, relative to the project. */
export const LOCKFILE_NAME = 'granary.lock';
/** Parallel downloads. */
export const DEFAULT_JOBS = 8;
/** The project manifest's name (read by core/project-manifest.ts); it lives beside the lockfile. */
export const MANIFEST_NAME = 'granary.yaml';
/** Larger tarballs are refused before download (registries default to 50 MiB). */
export const DEFAULT_MAX_TARBALL_BYTES = 256 * 1024 * 1024;
