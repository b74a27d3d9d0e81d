/** The release store `--local` registries publish to: a folder next to the repository's files. */
export const LOCAL_STORE = 'fs:releases';
