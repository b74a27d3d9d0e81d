/** registry.yaml read into settings with every default filled in. */
import { dictionary } from './dictionary.js';
import { InputError } from './errors.js';
import { loadYaml } from './yaml.js';
import { describeSchemaError, validateRegistryFile } from '../schema/validators.js';
import type { RegistryFile } from '../schema/types.js';

export const REGISTRY_FILE = 'registry.yaml';

/** One GitHub release per package (its versions' assets added as they are published), or one per version. */
export type ReleaseLayout = 'per-package' | 'per-version';

/** registry.yaml's settings, defaults filled in. */
export interface RegistryConfig {
  name: string;
  description: string | undefined;
  github: string | undefined;
  trustees: string[];
  trusteeTeam: string | undefined;
  maintainers: string[];
  scopes: Record<string, string[]>;
  reservedNames: string[];
  sources: { hosts: string[]; schemes: Array<'https' | 'file'> };
  limits: Required<NonNullable<RegistryFile['limits']>>;
  unpublishWindowHours: number;
  publicKey: string | undefined;
  stores: string[];
  /** What tarballs pack by default (docs/packing.md, "Which files"): a definition's `files` refines it. */
  files: { include: string[] | undefined; exclude: string[] };
  /** Rules about version numbers (docs/validation.md, `version-skipped` and the rules after it). */
  versions: { sequential: boolean; firstVersions: string[]; prereleases: boolean; upperBounds: boolean };
  /** `granary automerge`: how long each kind of change waits after the gate passed it, and how it merges. */
  automerge: {
    /** The app merges on its reconciliation timer (the CLI merges whenever it is run). */
    enabled: boolean;
    method: 'squash' | 'merge';
    newPackageMinutes: number;
    newVersionMinutes: number;
    otherMinutes: number;
    trusteeMinutes: number;
  };
  /** The license file check (docs/validation.md, `license-mismatch`): `required` refuses a version without one. */
  licenseFile: 'checked' | 'required' | 'off';
  /** Whether a `.sha256` file goes beside each tarball (the index records the hash either way). */
  sidecars: boolean;
  /** How a `github:` store lays out its releases (docs/release-stores.md). */
  releases: ReleaseLayout;
  assetBase: string | undefined;
  indexBranch: string;
  mainBranch: string;
}

/** Julia's General registry's waits: three days for a new name, minutes for a version, none for a trustee. */
export const DEFAULT_AUTOMERGE: RegistryConfig['automerge'] = {
  enabled: false,
  method: 'squash',
  newPackageMinutes: 3 * 24 * 60,
  newVersionMinutes: 15,
  otherMinutes: 24 * 60,
  trusteeMinutes: 0,
};

export const DEFAULT_LIMITS: RegistryConfig['limits'] = {
  maxPackagesPerPr: 10,
  maxDefinitionBytes: 16 * 1024,
  maxTarballBytes: 50 * 1024 * 1024,
  maxFileBytes: 20 * 1024 * 1024,
  maxFiles: 10_000,
  maxPathLength: 255,
  maxFetchBytes: 500 * 1024 * 1024,
  gitTimeoutSeconds: 120,
  // GitHub's documented secondary limits for content-creating requests.
  githubWritesPerMinute: 80,
  githubWritesPerHour: 500,
};

/**
 * Names nobody may take without a trustee: the registry's own words, common impersonation targets, and
 * the usual branch names (a package's release tag named like a branch makes `git push origin main`
 * ambiguous in the registry repository).
 */
export const DEFAULT_RESERVED_NAMES = [
  'main',
  'master',
  'gh-pages',
  'head',
  'granary',
  'registry',
  'index',
  'config',
  'packages',
  'snapshot',
  'admin',
  'root',
  'trustee',
  'trustees',
];

/** Fill in defaults for a parsed, schema-valid registry file. */
export function registryConfigFrom(file: RegistryFile): RegistryConfig {
  return {
    name: file.name,
    description: file.description,
    github: file.github,
    trustees: file.trustees ?? [],
    trusteeTeam: file.trusteeTeam,
    maintainers: file.maintainers ?? [],
    scopes: dictionary(file.scopes ?? {}),
    reservedNames: [...new Set([...DEFAULT_RESERVED_NAMES, ...(file.reservedNames ?? [])])],
    sources: { hosts: file.sources?.hosts ?? ['github.com'], schemes: file.sources?.schemes ?? ['https'] },
    limits: { ...DEFAULT_LIMITS, ...file.limits },
    unpublishWindowHours: file.unpublishWindowHours ?? 72,
    publicKey: file.publicKey,
    stores: file.stores ?? [],
    releases: file.releases ?? 'per-package',
    sidecars: file.sidecars ?? true,
    automerge: { ...DEFAULT_AUTOMERGE, ...file.automerge },
    versions: {
      sequential: file.versions?.sequential ?? true,
      firstVersions: file.versions?.firstVersions ?? ['0.0.1', '0.1.0', '1.0.0'],
      prereleases: file.versions?.prereleases ?? true,
      upperBounds: file.versions?.upperBounds ?? false,
    },
    files: { include: file.files?.include, exclude: file.files?.exclude ?? [] },
    licenseFile: file.licenseFile ?? 'checked',
    assetBase: file.assetBase,
    indexBranch: file.indexBranch ?? 'index',
    mainBranch: file.mainBranch ?? 'main',
  };
}

/** Parse registry.yaml text; throws InputError pointing at the offending line. */
export function parseRegistryConfig(text: string, file = REGISTRY_FILE): RegistryConfig {
  const loaded = loadYaml(text);
  const first = loaded.issues[0];
  if (first)
    throw new InputError(first.message, {
      where: `${file}:${first.line}:${first.col}`,
      hint: 'fix the YAML syntax of registry.yaml',
    });
  if (!validateRegistryFile(loaded.value)) {
    const e = validateRegistryFile.errors![0]!;
    const path = e.instancePath.split('/').slice(1);
    const { line, col } = loaded.locate(path);
    throw new InputError(describeSchemaError(e), {
      where: `${file}:${line}:${col}`,
      hint: 'see docs/operator-guide.md for the registry.yaml keys',
    });
  }
  return registryConfigFrom(loaded.value);
}
