/** The curator's constants the command line shows in `--help`, in a module that imports nothing, so showing them costs nothing. */

/** The release store `--local` registries publish to: a folder next to the repository's files. */
export const LOCAL_STORE = 'fs:releases';
