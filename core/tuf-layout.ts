/** Where a TUF repository keeps its files: metadata under `metadata/`, targets at consistent-snapshot names. */

/** The index root's metadata folder. */
export const METADATA_DIR = 'metadata';

/** The TUF specification version the index follows. */
export const TUF_SPEC_VERSION = '1.0.31';

/** `pr/el/prelude` with SHA-256 `abc…` is served as `pr/el/abc….prelude` (TUF consistent snapshots). */
export function consistentTargetPath(path: string, sha256: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? `${sha256}.${path}` : `${path.slice(0, slash + 1)}${sha256}.${path.slice(slash + 1)}`;
}

/** `metadata/<version>.<role>.json`. */
export function versionedMetadataPath(role: string, version: number): string {
  return `${METADATA_DIR}/${version}.${role}.json`;
}

export const TIMESTAMP_PATH = `${METADATA_DIR}/timestamp.json`;
export const ROOT_PATH = `${METADATA_DIR}/root.json`;
