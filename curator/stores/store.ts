/** Release stores: where tarballs and their `.sha256` sidecars live, behind one interface. */

export interface PutResult {
  /** `<tag>/<file>`: the asset path relative to the store's asset base (what the index records). */
  asset: string;
  /** `created`: uploaded now; `reused`: the same bytes were already there. */
  status: 'created' | 'reused';
  /** Where a person can download it (a URL, or a path for `fs:`). */
  url: string;
}

/** A published tarball's download count, as its store reports it (GitHub Releases: the asset's `download_count`). */
export interface AssetDownloads {
  /** The package and version the tarball is of (from its release tag and file name). */
  name: string;
  version: string;
  /** `<tag>/<file>`, as the index records it. */
  asset: string;
  /** Downloads since the asset was uploaded. */
  downloads: number;
}

/**
 * A place to publish assets. Implementations never overwrite: an existing asset with the same bytes
 * is reused, one with different bytes is an AssetConflictError and stays as it was.
 */
export interface ReleaseStore {
  /** The spec it was made from, e.g. `fs:/srv/releases` or `github:owner/repo`. */
  readonly spec: string;
  /** Base that `asset` paths are relative to (a URL for `github:`, a `file://` URL for `fs:`). */
  readonly assetBase: string;
  /** Publish `bytes` as `fileName` in the package's release (continuation releases chosen by the store). */
  put(pkg: string, fileName: string, bytes: Uint8Array): Promise<PutResult>;
  /**
   * Make what was put for the package visible, once all of a version's assets are in (GitHub: publish the
   * draft release they went to). Stores whose puts are visible at once omit it.
   */
  seal?(pkg: string): Promise<void>;
  /** The asset path of `fileName` in the package's releases, or undefined when absent. */
  find(pkg: string, fileName: string): Promise<string | undefined>;
  /** Read an asset back by its asset path (verification, mirrors); undefined when absent. */
  get(asset: string): Promise<Buffer | undefined>;
  /** Remove an asset (unpublish only); true when something was removed. */
  remove(pkg: string, fileName: string): Promise<boolean>;
  /** Every file the store holds, as asset-style paths (`<tag>/<file>`), for `index check --store`; stores that cannot list omit it. */
  list?(): Promise<string[]>;
  /** Every published tarball's download count (sidecars left out); stores that count nothing (`fs:`) omit it. */
  downloadCounts?(): Promise<AssetDownloads[]>;
}
