/** TypeScript types of the file formats; each matches the JSON Schema of the same name in this folder. */

export type Dependencies = Record<string, string>;

export type Location = { github: string; subdir?: string } | { git: string; subdir?: string };

/** packages/<name>/<version>.yaml (package.schema.json). */
export interface PackageDefinition {
  name: string;
  version: string;
  description?: string;
  license: string;
  location: Location;
  ref: string;
  commit?: string;
  dependencies?: Dependencies;
  keywords?: string[];
  homepage?: string;
  owners?: string[];
  files?: { include?: string[]; add?: string[]; exclude?: string[] };
}

/** overrides/<name>/<version>.yaml (override.schema.json). */
export interface Override {
  reason: string;
  dependencies?: Dependencies;
  yanked?: boolean;
  deprecated?: string;
}

export interface RegistryLimits {
  maxPackagesPerPr?: number;
  maxDefinitionBytes?: number;
  maxTarballBytes?: number;
  maxFileBytes?: number;
  maxFiles?: number;
  maxPathLength?: number;
  maxFetchBytes?: number;
  gitTimeoutSeconds?: number;
  githubWritesPerMinute?: number;
  githubWritesPerHour?: number;
}

/** registry.yaml as written (registry.schema.json); see core/registry-config.ts for the defaults. */
export interface RegistryFile {
  name: string;
  description?: string;
  github?: string;
  trustees?: string[];
  trusteeTeam?: string;
  maintainers?: string[];
  scopes?: Record<string, string[]>;
  reservedNames?: string[];
  sources?: { hosts?: string[]; schemes?: Array<'https' | 'file'> };
  limits?: RegistryLimits;
  unpublishWindowHours?: number;
  publicKey?: string;
  stores?: string[];
  assetBase?: string;
  indexBranch?: string;
  mainBranch?: string;
  releases?: 'per-package' | 'per-version';
  sidecars?: boolean;
  automerge?: {
    enabled?: boolean;
    method?: 'squash' | 'merge';
    newPackageMinutes?: number;
    newVersionMinutes?: number;
    otherMinutes?: number;
    trusteeMinutes?: number;
  };
  licenseFile?: 'checked' | 'required' | 'off';
  versions?: { sequential?: boolean; firstVersions?: string[]; prereleases?: boolean; upperBounds?: boolean };
  files?: { include?: string[]; exclude?: string[] };
}

export interface HistoryEntry {
  revision: number;
  dependencies: Dependencies;
  yanked?: boolean;
  deprecated?: string;
  reason?: string;
  at: string;
  /** Who opened the pull request that superseded this revision (when the curator knew it). */
  by?: string;
  /** Who approved that pull request. */
  approvedBy?: string[];
}

/** One line of an index file (index-line.schema.json). */
export interface IndexLine {
  name: string;
  version: string;
  dependencies: Dependencies;
  license: string;
  sha256: string;
  integrity: string;
  size: number;
  contentHash?: string;
  asset: string;
  commit: string;
  ref: string;
  publishedAt: string;
  revision: number;
  yanked?: boolean;
  deprecated?: string;
  unpublished?: { at: string; reason: string };
  history?: HistoryEntry[];
}

/** The index generation a client read: the TUF snapshot version and the main commit it reflects. */
export interface Snapshot {
  version: number;
  commit: string;
  createdAt: string;
}

/** config.json (config.schema.json). */
export interface IndexConfig {
  format: 2;
  name: string;
  assetBase: string;
}

/** One package's entry in packages.json: its description, latest version and counts. */
export interface PackageSummary {
  name: string;
  description?: string;
  keywords?: string[];
  license?: string;
  homepage?: string;
  owners?: string[];
  latest: string | null;
  versions: number;
  updatedAt?: string;
  deprecated?: string;
}

/** packages.json (packages.schema.json). */
export interface PackagesFile {
  format: 2;
  packages: PackageSummary[];
}

/** Downloads counted on one UTC day. */
export interface DayDownloads {
  /** `YYYY-MM-DD`. */
  date: string;
  downloads: number;
}

/** One package in stats/downloads.json. */
export interface PackageDownloads {
  /** Every download counted; it never goes down. */
  total: number;
  /** Version → its count as the stores last reported it. */
  versions: Record<string, number>;
  /** The last 30 UTC days with downloads, oldest first. */
  days: DayDownloads[];
}

/** stats/downloads.json on the index branch (download-stats.schema.json): unsigned download counts. */
export interface DownloadStatsFile {
  format: 1;
  updatedAt: string;
  source: 'github-releases' | 'none';
  since?: string;
  packages: Record<string, PackageDownloads>;
}
