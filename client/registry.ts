/** Open a registry: refresh its TUF metadata (tuf-js), read config.json, and serve verified lines. */
import { readFile } from 'node:fs/promises';
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
import { schemaErrors, validateConfig, validatePackagesFile } from '../schema/validators.js';
import { openSource, type OpenedSource, type SourceOptions } from './sources/open-source.js';
import { openHistoricClient } from './trust/historic.js';
import { openTufClient, type TufClient } from './trust/tuf-client.js';
import { sha256Hex } from '../core/hash.js';
import { versionedMetadataPath } from '../core/tuf-layout.js';
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
  const source = await openSource(spec, {
    cwd: options.cwd,
    cacheDir: options.cacheDir,
    ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }),
    ...sourceOptions,
  });
  return openRegistryFromSource(source, options);
}

/** The same checks over an already opened source (tests and tools that build their own). */
export async function openRegistryFromSource(source: OpenedSource, options: OpenOptions): Promise<Registry> {
  const pinned = options.trustKey?.trim() || undefined;
  if (pinned !== undefined) decodePublicKey(pinned);
  const anchorId =
    options.trustRoot !== undefined
      ? `root:${sha256Hex(options.trustRoot)}`
      : pinned !== undefined
        ? `key:${pinned}`
        : 'first-use';
  const stateDir =
    options.cacheDir === undefined
      ? undefined
      : join(options.cacheDir, 'tuf', sha256Hex(`${source.identity}\n${anchorId}`).slice(0, 24));
  // A client that already trusts a root for this registry and anchor goes on from it (tuf-js walks to newer
  // roots). An older generation (--snapshot) is checked the same way but for expiry, from the anchor itself,
  // and leaves the trusted state alone.
  const historic = source.historic === true;
  const known =
    historic || stateDir === undefined
      ? undefined
      : await readFile(join(stateDir, 'metadata', 'root.json')).catch(() => undefined);
  const anchor = known !== undefined ? { root: known } : await trustAnchor(source, options, pinned);
  const tuf = historic
    ? await openHistoricClient(source, anchor.root)
    : await openTufClient(source, {
        root: anchor.root,
        stateDir,
        ...(options.warn === undefined ? {} : { warn: options.warn }),
      });
  const configBytes = await tuf.read('config.json');
  if (configBytes === undefined)
    throw new SourceError('the registry has no config.json', {
      where: source.locate('config.json'),
      hint: 'the index is incomplete; rebuild it with `granary index build` or use another mirror',
    });
  const config = parseJsonFile(configBytes, source.locate('config.json'), validateConfig, 'config.json');
  const granary = tuf.snapshot.granary ?? {};
  const snapshot: Snapshot = {
    version: tuf.snapshot.version,
    commit: typeof granary.commit === 'string' ? granary.commit : '',
    createdAt: typeof granary.createdAt === 'string' ? granary.createdAt : '',
  };
  if (anchor.warning !== undefined) options.warn?.(anchor.warning);
  return makeRegistry(source, config, snapshot, pinned, options, tuf);
}

interface TrustAnchor {
  /** The root to start from. */
  root: Buffer;
  warning?: string;
}

/**
 * What the client trusts first: a pinned root.json; the single-key root of a pinned key (the registry's
 * 1.root.json must be exactly that); or, with neither, the registry's 1.root.json on first use, with a warning.
 */
async function trustAnchor(
  source: OpenedSource,
  options: OpenOptions,
  pinned: string | undefined,
): Promise<TrustAnchor> {
  if (options.trustRoot !== undefined) return { root: options.trustRoot };
  const first = await source.readFile(FIRST_ROOT);
  if (first === undefined) {
    const formatOne = (await source.readFile('snapshot.json').catch(() => undefined)) !== undefined;
    throw new SourceError(
      formatOne
        ? 'the registry serves an index in format 1 (snapshot.json), which this client no longer reads'
        : `the registry has no ${FIRST_ROOT} (HTTP 404 / file not found)`,
      {
        where: source.locate(FIRST_ROOT),
        hint: formatOne
          ? 'the registry must publish its index in format 2 (its operators curate it anew); until then, use an older granary'
          : 'check that --registry points at the base of the index (the folder that holds config.json and metadata/)',
      },
    );
  }
  if (pinned !== undefined) {
    if (!isSingleKeyRoot(first, pinned))
      throw new TrustError(`the registry's ${FIRST_ROOT} is not the root of the pinned key ${pinned}`, {
        where: source.locate(FIRST_ROOT),
        hint: 'this is not the registry you pinned, or it uses offline root keys: pin its root.json with --trust-root instead of a key',
      });
    return { root: first };
  }
  return {
    root: first,
    warning: `no trust root pinned for ${source.description}: its first root was accepted as it was served (pin it with --trust-root FILE, or --trust-key for a single-key registry)`,
  };
}

const FIRST_ROOT = versionedMetadataPath('root', 1);

/**
 * A mirror's own asset base (mirror.json, written by `granary mirror`, unsigned: every tarball is checked
 * against the hash in its signed line, so it only decides where bytes come from). Relative or http(s) only.
 */
async function mirrorAssetBase(source: OpenedSource): Promise<string | undefined> {
  const bytes = await source.readFile('mirror.json');
  if (bytes === undefined) return undefined;
  let base: unknown;
  try {
    base = (JSON.parse(bytes.toString('utf8')) as { assetBase?: unknown }).assetBase;
  } catch {
    base = undefined;
  }
  if (typeof base !== 'string' || base === '' || (/^[a-z][a-z0-9+.-]*:/i.test(base) && !isHttpUrl(base)))
    throw new InputError('mirror.json does not name a relative or http(s) assetBase', {
      where: source.locate('mirror.json'),
      hint: "rewrite the mirror with `granary mirror`, or remove mirror.json to use the registry's own asset base",
    });
  return base;
}

/** Whether `bytes` is the root a single-key registry with `publicKey` publishes (its signature is tuf-js's to check). */
function isSingleKeyRoot(bytes: Buffer, publicKey: string): boolean {
  try {
    const signed = (JSON.parse(bytes.toString('utf8')) as { signed: Record<string, unknown> }).signed;
    const keys = signed.keys as Record<string, { keyval?: { public?: string } }>;
    const raw = Buffer.from(publicKey.slice('ed25519:'.length), 'base64').toString('hex');
    const roles = signed.roles as Record<string, { keyids: string[]; threshold: number }>;
    const ids = Object.keys(keys);
    return (
      signed.version === 1 &&
      ids.length === 1 &&
      keys[ids[0]!]?.keyval?.public === raw &&
      ['root', 'targets', 'snapshot', 'timestamp'].every(
        (role) => roles[role]?.threshold === 1 && roles[role]?.keyids.length === 1 && roles[role]?.keyids[0] === ids[0],
      )
    );
  } catch {
    return false;
  }
}

function makeRegistry(
  source: OpenedSource,
  config: IndexConfig,
  snapshot: Snapshot,
  trustedKey: string | undefined,
  options: OpenOptions,
  tuf: TufClient,
): Registry {
  const lineCache = new Map<string, Promise<IndexLine[]>>();
  let packagesCache: Promise<PackagesFile> | undefined;

  const readChecked = (path: string) => tuf.read(path);

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

  // Where assets are: --assets, else a mirror's own (mirror.json, read on first need), else config.json's.
  let locator: Promise<(asset: string) => string> | undefined;
  const makeLocator = async () => {
    if (options.assets !== undefined) {
      const resolved = absoluteBase(options.assets, (p) => resolvePath(options.cwd, p));
      return (asset: string) => assetLocation(resolved, asset, '/', options.assets!);
    }
    const base = (await mirrorAssetBase(source)) ?? config.assetBase;
    const resolved = indexAssetBase(base, source);
    return (asset: string) => assetLocation(resolved, asset, '/', base);
  };

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
    metadataFiles: () => tuf.metadataFiles(),
    readTarget: (path) => tuf.read(path),
    packages() {
      packagesCache ??= loadPackages();
      packagesCache.catch(() => (packagesCache = undefined));
      return packagesCache;
    },
    assets() {
      locator ??= makeLocator();
      locator.catch(() => (locator = undefined));
      return locator;
    },
  };
}

/** config.json's asset base: relative to the index, never a local path (file:) for an index read over HTTP. */
function indexAssetBase(base: string, source: OpenedSource): string {
  if (source.kind === 'http' && !isHttpUrl(base) && /^[a-z][a-z0-9+.-]*:/i.test(base))
    throw new TrustError(`the index read over HTTP names a local asset base ${shown(base)}`, {
      where: source.locate('config.json'),
      hint: 'an index served over HTTP(S) must use an http(s) or relative asset base; pass --assets to choose one yourself',
    });
  return absoluteBase(base, (p) => source.resolveRelative(p));
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
