/** The contracts between the client's parts: an opened registry, and a resolution. */
import type { IndexConfig, IndexLine, PackagesFile, Snapshot } from '../schema/types.js';
import type { IndexSource } from './source.js';

/** How a registry is opened: what to trust, where to keep state, where assets are. */
export interface OpenOptions {
  cwd: string;
  /** Pinned public key (`ed25519:…`) of a single-key registry: its first root must be that key's. */
  trustKey?: string;
  /** A pinned root.json (the registry's first or any later root): the client starts its trust there. */
  trustRoot?: Buffer;
  /** Read the index as it was at this snapshot version or date (a git clone only; see `SourceOptions.snapshot`). */
  snapshot?: string;
  /** Where the client keeps its state (HTTP cache, highest snapshot version seen, tarball cache). */
  cacheDir?: string;
  /** Base URL or directory of the assets, instead of config.json's `assetBase` (a mirror). */
  assets?: string;
  /** Called once with a warning a person should see (e.g. no key pinned). */
  warn?: (message: string) => void;
}

/** A registry opened and checked against its snapshot. */
export interface Registry {
  readonly source: IndexSource;
  readonly config: IndexConfig;
  readonly snapshot: Snapshot;
  /** The key the snapshot was verified with, if any. */
  readonly trustedKey: string | undefined;
  /** Every line of one package (verified against the snapshot), sorted by version; [] when unknown. */
  lines(name: string): Promise<IndexLine[]>;
  /** packages.json, verified against the snapshot. */
  packages(): Promise<PackagesFile>;
  /** Every metadata file of the current generation (index path → verified bytes), for a mirror. */
  metadataFiles(): Promise<Map<string, Buffer>>;
  /** A target file's verified bytes (`config.json`, `pr/el/prelude`), undefined when the index has none. */
  readTarget(path: string): Promise<Buffer | undefined>;
  /** The absolute URL (or file path) of an asset path from an index line: --assets, a mirror's own asset base, or config.json's. */
  assets(): Promise<(asset: string) => string>;
}

/** A package asked for: its name and a range. */
export interface Request {
  name: string;
  /** A SemVer range; `*` when none was given. */
  range: string;
}

/** What resolution keeps (locked versions) and allows (prereleases). */
export interface ResolveOptions {
  /** Versions already locked: used even when yanked, preferred when they still satisfy. */
  locked?: ReadonlyMap<string, string>;
  includePrerelease?: boolean;
}

/** The chosen version of every package needed, dependencies included. */
export interface Resolution {
  /** Name → the chosen line (its latest revision). */
  packages: Map<string, IndexLine>;
  /** The requests, as given. */
  roots: Request[];
}
