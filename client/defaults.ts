/** The client's defaults, in a module that imports nothing, so the command line can show them in `--help` cheaply. */

/** Where `install` puts packages, relative to the project. */
export const DEFAULT_INSTALL_DIR = 'granary_packages';
/** The lockfile's name, relative to the project. */
export const LOCKFILE_NAME = 'granary.lock';
/** Parallel downloads. */
export const DEFAULT_JOBS = 8;
