/** Open a registry: read config.json and the snapshot, check signature, hashes and rollback, and serve verified lines. */
import { homedir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetLocation, isHttpUrl } from './fetch/asset-path.js';
import { InputError, SourceError, TrustError, shown } from '../core/errors.js';
import { indexPath } from '../core/index-path.js';
import { parseIndexFile } from '../core/index-line.js';
import { nameError } from '../core/names.js';
import { decodePublicKey } from '../core/signing.js';
import { compareVersions } from '../core/versions.js';
import type { IndexConfig, IndexLine, PackagesFile, Snapshot } from '../schema/types.js';
import { schemaErrors, validateConfig, validatePackagesFile, validateSnapshot } from '../schema/validators.js';
import { openSource, type OpenedSource, type SourceOptions } from './sources/open-source.js';
import { checkAgainstSnapshot } from './trust/file-hashes.js';
import { checkNotRolledBack } from './trust/rollback-state.js';
import { checkSnapshotSignature } from './trust/snapshot-signature.js';
import type { OpenOptions, Registry } from './types.js';

/** Where the client keeps state when no cache directory is given: $GRANARY_CACHE, else $XDG_CACHE_HOME/granary, else ~/.cache/granary. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.GRANARY_CACHE) return resolvePath(env.GRANARY_CACHE);
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'granary');
  return join(homedir(), '.cache', 'granary');
}

/** Open the registry at `spec` (`https://…`, a directory of index files, or a git clone) and check it. */
export async function openRegistry(
  spec: string,
  options: OpenOptions,
  sourceOptions: Partial<SourceOptions> = {},
): Promise<Registry> {
  const source = await openSource(spec, { cwd: options.cwd, cacheDir: options.cacheDir, ...sourceOptions });
  return openRegistryFromSource(source, options);
}

/** The same checks over an already opened source (tests and tools that build their own). */
export async function openRegistryFromSource(source: OpenedSource, options: OpenOptions): Promise<Registry> {
  const pinned = options.trustKey?.trim() || undefined;
  if (pinned !== undefined) decodePublicKey(pinned);
  const [snapshotBytes, signature, configBytes] = await Promise.all([
    source.readFile('snapshot.json'),
    source.readFile('snapshot.json.sig'),
    source.readFile('config.json'),
  ]);
  if (configBytes === undefined) {
    throw new SourceError('the registry has no config.json (HTTP 404 / file not found)', {
      where: source.locate('config.json'),
      hint: 'check that --registry points at the base of the index (the folder that holds config.json and snapshot.json)',
    });
  }
  const config = parseJsonFile(configBytes, source.locate('config.json'), validateConfig, 'config.json');

  let snapshot: Snapshot | undefined;
  const warnings: string[] = [];
  if (snapshotBytes === undefined) {
    if (pinned)
      throw new TrustError(
        'the registry has no snapshot.json, so nothing in it can be verified against the pinned key',
        {
          where: source.locate('snapshot.json'),
          hint: 'use a registry (or mirror) that publishes a signed snapshot.json, or drop --trust-key to read it unverified',
        },
      );
    warnings.push('the registry has no snapshot.json: index files are not checked against any hash');
  } else {
    snapshot = parseJsonFile(snapshotBytes, source.locate('snapshot.json'), validateSnapshot, 'snapshot.json');
    if (pinned) {
      if (signature === undefined)
        throw new TrustError('snapshot.json is not signed (no snapshot.json.sig), but a key is pinned', {
          where: source.locate('snapshot.json.sig'),
          hint: 'the registry must sign its index (`granary curate --sign-key`); a mirror must copy snapshot.json.sig too',
        });
      checkSnapshotSignature(snapshotBytes, signature, pinned, source.locate('snapshot.json.sig'));
    } else if (signature !== undefined && config.publicKey !== undefined) {
      // Unpinned, this only catches corruption: whoever can change the snapshot can change config.json too.
      checkSnapshotSignature(snapshotBytes, signature, config.publicKey, source.locate('snapshot.json.sig'));
    } else if (signature === undefined) {
      warnings.push('snapshot.json is not signed');
    }
    checkAgainstSnapshot('config.json', configBytes, snapshot, source.locate('config.json'));
    if (options.cacheDir !== undefined)
      await checkNotRolledBack(options.cacheDir, pinned ?? source.identity, snapshot, source.locate('snapshot.json'));
  }
  if (pinned !== undefined && config.publicKey !== undefined && config.publicKey !== pinned) {
    throw new TrustError(`config.json names the key ${config.publicKey}, not the pinned key ${pinned}`, {
      where: source.locate('config.json'),
      hint: 'the registry rotated its key, or this is not the registry you pinned: confirm the key with its operators before passing it with --trust-key',
    });
  }
  if (pinned === undefined) {
    const key = config.publicKey
      ? ` (config.json advertises ${config.publicKey}; pin it with --trust-key once you have confirmed it)`
      : '';
    options.warn?.(
      [`no trust key pinned for ${source.description}: the index is not authenticated${key}`, ...warnings].join('; '),
    );
  }
  return makeRegistry(source, config, snapshot, pinned, options);
}

function makeRegistry(
  source: OpenedSource,
  config: IndexConfig,
  snapshot: Snapshot | undefined,
  trustedKey: string | undefined,
  options: OpenOptions,
): Registry {
  const lineCache = new Map<string, Promise<IndexLine[]>>();
  let packagesCache: Promise<PackagesFile> | undefined;

  async function readChecked(path: string): Promise<Buffer | undefined> {
    const bytes = await source.readFile(path);
    if (snapshot) checkAgainstSnapshot(path, bytes, snapshot, source.locate(path));
    return bytes;
  }

  async function loadLines(name: string): Promise<IndexLine[]> {
    const error = nameError(name);
    if (error) throw new InputError(`${shown(name)} is not a package name: ${error}`);
    const path = indexPath(name);
    const bytes = await readChecked(path);
    if (bytes === undefined) return [];
    return latestRevisions(parseIndexFile(bytes.toString('utf8'), source.locate(path), name));
  }

  async function loadPackages(): Promise<PackagesFile> {
    const bytes = await readChecked('packages.json');
    if (bytes === undefined)
      throw new SourceError('the registry has no packages.json', {
        where: source.locate('packages.json'),
        hint: 'the index is incomplete; rebuild it with `granary index build` or use another mirror',
      });
    return parseJsonFile(bytes, source.locate('packages.json'), validatePackagesFile, 'packages.json');
  }

  const assetBase = options.assets ?? config.assetBase;
  const resolvedBase =
    options.assets !== undefined
      ? absoluteBase(options.assets, (p) => resolvePath(options.cwd, p))
      : absoluteBase(config.assetBase, (p) => source.resolveRelative(p));

  return {
    source,
    config,
    snapshot,
    trustedKey,
    lines(name) {
      let cached = lineCache.get(name);
      if (!cached) {
        cached = loadLines(name);
        lineCache.set(name, cached);
        cached.catch(() => lineCache.delete(name));
      }
      return cached;
    },
    packages() {
      packagesCache ??= loadPackages();
      packagesCache.catch(() => (packagesCache = undefined));
      return packagesCache;
    },
    assetUrl(asset) {
      return assetLocation(resolvedBase, asset, '/', assetBase);
    },
  };
}

/** An absolute URL or directory for an asset base; relative ones resolve with `relative`. */
function absoluteBase(base: string, relative: (p: string) => string): string {
  if (isHttpUrl(base)) return base;
  if (/^file:/i.test(base)) return fileURLToPath(base);
  return relative(base);
}

/** One line per version: the highest revision wins if a file repeats a version; sorted by version. */
function latestRevisions(lines: IndexLine[]): IndexLine[] {
  const byVersion = new Map<string, IndexLine>();
  for (const line of lines) {
    const seen = byVersion.get(line.version);
    if (!seen || line.revision > seen.revision) byVersion.set(line.version, line);
  }
  return [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
}

function parseJsonFile<T>(
  bytes: Buffer,
  where: string,
  validate: ((v: unknown) => v is T) & { errors?: unknown },
  what: string,
): T {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new InputError(`${what} is not valid JSON`, {
      where,
      hint: 'the index is damaged; rebuild it or use another mirror',
      cause,
    });
  }
  if (!validate(value))
    throw new InputError(`${what} does not match its schema: ${schemaErrors(validate as never)}`, {
      where,
      hint: 'the index is damaged or from an incompatible version of Granary',
    });
  return value;
}
