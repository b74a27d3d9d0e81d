/**
 * The registry's TUF metadata, verified by tuf-js: an `Updater` whose fetcher reads through the opened
 * source (HTTP, directory or git), with its trusted metadata kept per registry and per trust anchor.
 * A refresh that finds timestamp.json unchanged costs that one request.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Updater, type Fetcher } from 'tuf-js';
import * as tufErrors from 'tuf-js/dist/error.js';
import { Metadata, MetadataKind } from '@tufjs/models';
import { GranaryError, SourceError, TrustError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import {
  consistentTargetPath,
  METADATA_DIR,
  ROOT_PATH,
  TIMESTAMP_PATH,
  versionedMetadataPath,
} from '../../core/tuf-layout.js';
import type { OpenedSource } from '../sources/opened-source.js';

/** The pseudo URL base the fetcher maps back to index paths. */
const BASE = 'granary-index:/';

const TAMPERED =
  'the index is inconsistent or was tampered with (a bad mirror or cache?): do not use it; try the registry itself, or report it to the registry operators';

export interface TufClient {
  /** A target's bytes, verified by tuf-js against its length and hash (read from the content cache when there). */
  read(path: string): Promise<Buffer | undefined>;
  /** The trusted snapshot's `signed` part. */
  snapshot: { version: number; granary?: { commit?: string; createdAt?: string } };
  /**
   * Every file of the current generation as verified bytes, by index path: roots, timestamp, snapshot,
   * targets and every bin (each checked with tuf-js's models against the trusted metadata), for a mirror.
   */
  metadataFiles(): Promise<Map<string, Buffer>>;
}

export interface TufClientOptions {
  /** The root to start from (a pinned root.json, or the registry's 1.root.json accepted on first use). */
  root: Buffer;
  /** Where trusted metadata and verified targets are kept; a temporary folder when undefined. */
  stateDir: string | undefined;
  /** Told when the served index is behind what this client already verified (it then keeps its own). */
  warn?: (message: string) => void;
}

/** Refresh the metadata (tuf-js client workflow) and return a reader of verified targets. */
export async function openTufClient(source: OpenedSource, options: TufClientOptions): Promise<TufClient> {
  const dir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'granary-tuf-')));
  const metadataDir = join(dir, 'metadata');
  const targetDir = join(dir, 'targets');
  await mkdir(metadataDir, { recursive: true });
  await mkdir(targetDir, { recursive: true });
  const trustedRoot = join(metadataDir, 'root.json');
  if ((await readFile(trustedRoot).catch(() => undefined)) === undefined) await writeFile(trustedRoot, options.root);

  const fetcher = new SourceFetcher(source);
  // The fast path: timestamp.json as this client last trusted it means nothing changed; the local
  // metadata is then used as it is (tuf-js still checks every file's signature and expiry, and goes to
  // the registry if any has expired).
  const remote = await fetcher.fetchTimestamp();
  const local = await readFile(join(metadataDir, 'timestamp.json')).catch(() => undefined);
  const updater = new Updater({
    metadataDir,
    metadataBaseUrl: `${BASE}${METADATA_DIR}/`,
    targetDir,
    targetBaseUrl: BASE,
    fetcher,
    forceCache:
      local !== undefined && remote !== undefined && (local.equals(remote) || behind(remote, local, options.warn)),
    config: { prefixTargetsWithHash: true },
  });
  await translated(fetcher, TIMESTAMP_PATH, () => updater.refresh());
  const snapshotBytes = await readFile(join(metadataDir, 'snapshot.json'));
  const snapshot = (JSON.parse(snapshotBytes.toString('utf8')) as { signed: TufClient['snapshot'] }).signed;

  return {
    snapshot,
    metadataFiles: () => translated(fetcher, METADATA_DIR, () => generationMetadata(source, metadataDir)),
    async read(path) {
      const info = await translated(fetcher, path, () => updater.getTargetInfo(path));
      if (info === undefined) return undefined;
      const sha256 = info.hashes.sha256;
      if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256))
        throw new TrustError(`the index lists ${path} without a SHA-256`, {
          where: source.locate(path),
          hint: TAMPERED,
        });
      const cached = join(targetDir, sha256);
      const hit = await readFile(cached).catch(() => undefined);
      if (hit !== undefined && sha256Hex(hit) === sha256) return hit;
      const file = consistentTargetPath(path, sha256);
      const bytes = await source.readFile(file);
      if (bytes === undefined)
        throw new TrustError(`index file ${path} is listed in the signed metadata but missing`, {
          where: source.locate(file),
          hint: TAMPERED,
        });
      try {
        await info.verify(Readable.from([bytes]));
      } catch (cause) {
        throw new TrustError(`index file ${path} does not match the length and hash its signed metadata lists`, {
          where: source.locate(file),
          hint: TAMPERED,
          cause,
        });
      }
      await writeFile(cached, bytes).catch(() => undefined);
      return bytes;
    },
  };
}

async function generationMetadata(source: OpenedSource, metadataDir: string): Promise<Map<string, Buffer>> {
  const local = async (name: string) => readFile(join(metadataDir, name));
  const files = new Map<string, Buffer>();
  const rootBytes = await local('root.json');
  const root = Metadata.fromJSON(MetadataKind.Root, JSON.parse(rootBytes.toString('utf8')));
  for (let n = 1; n < root.signed.version; n++) {
    const path = versionedMetadataPath('root', n);
    const bytes = await source.readFile(path);
    if (bytes !== undefined) files.set(path, bytes);
  }
  files.set(versionedMetadataPath('root', root.signed.version), rootBytes);
  files.set(ROOT_PATH, rootBytes);
  files.set(TIMESTAMP_PATH, await local('timestamp.json'));
  const snapshotBytes = await local('snapshot.json');
  const snapshot = Metadata.fromJSON(MetadataKind.Snapshot, JSON.parse(snapshotBytes.toString('utf8')));
  files.set(versionedMetadataPath('snapshot', snapshot.signed.version), snapshotBytes);
  const targetsBytes = await local('targets.json');
  const targets = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(targetsBytes.toString('utf8')));
  files.set(versionedMetadataPath('targets', targets.signed.version), targetsBytes);
  const now = new Date();
  for (const role of Object.keys(targets.signed.delegations?.roles ?? {})) {
    const version = snapshot.signed.meta[`${role}.json`]?.version;
    if (version === undefined) throw new TrustError(`the snapshot does not list the delegated role ${role}`);
    const path = versionedMetadataPath(role, version);
    const bytes = await source.readFile(path);
    if (bytes === undefined) throw new tufErrors.DownloadHTTPError(`${path} not found`, 404);
    const bin = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(bytes.toString('utf8')));
    targets.verifyDelegate(role, bin);
    if (bin.signed.version !== version)
      throw new tufErrors.BadVersionError(`Expected ${role} version ${version}, got ${bin.signed.version}`);
    if (bin.signed.isExpired(now)) throw new tufErrors.ExpiredMetadataError(`${role}.json is expired`);
    files.set(path, bytes);
  }
  return files;
}

/**
 * Whether the served timestamp is older than the one this client trusts: a cache or CDN edge that has
 * not caught up. The client then keeps the generation it verified (tuf-js still refuses it once it
 * expires) rather than failing; nothing older is ever accepted.
 */
function behind(remote: Buffer, local: Buffer, warn: ((message: string) => void) | undefined): boolean {
  const version = (bytes: Buffer) => {
    try {
      const v = (JSON.parse(bytes.toString('utf8')) as { signed?: { version?: unknown } }).signed?.version;
      return typeof v === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const served = version(remote);
  const trusted = version(local);
  if (served === undefined || trusted === undefined || served >= trusted) return false;
  warn?.(
    `the registry served timestamp version ${served}, older than version ${trusted} this client verified before (a cache not caught up?): using what it verified`,
  );
  return true;
}

/** tuf-js reads metadata through this: index paths of the opened source; a missing file is a 404. */
class SourceFetcher implements Fetcher {
  /** The last error of the source itself (network, HTTP status), to report instead of tuf-js's wrapping of it. */
  sourceError: GranaryError | undefined;
  private timestamp: Buffer | undefined;

  constructor(private readonly source: OpenedSource) {}

  /** timestamp.json, fetched once per client: tuf-js's own read of it is served from here. */
  async fetchTimestamp(): Promise<Buffer | undefined> {
    this.timestamp = await this.read(TIMESTAMP_PATH);
    return this.timestamp;
  }

  private async read(path: string): Promise<Buffer | undefined> {
    try {
      return await this.source.readFile(path);
    } catch (error) {
      if (error instanceof GranaryError) this.sourceError = error;
      throw error;
    }
  }

  async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
    const path = decodeURIComponent(url.slice(BASE.length));
    let bytes: Buffer | undefined;
    if (path === TIMESTAMP_PATH && this.timestamp !== undefined) {
      bytes = this.timestamp;
      this.timestamp = undefined;
    } else bytes = await this.read(path);
    if (bytes === undefined) throw new tufErrors.DownloadHTTPError(`${path} not found`, 404);
    if (bytes.length > maxLength) throw new tufErrors.DownloadLengthMismatchError(`${path} is over ${maxLength} bytes`);
    return bytes;
  }

  async downloadFile<T>(url: string, maxLength: number, handler: (file: string) => Promise<T>): Promise<T> {
    const bytes = await this.downloadBytes(url, maxLength);
    const dir = await mkdtemp(join(tmpdir(), 'granary-tuf-file-'));
    const file = join(dir, 'download');
    try {
      await writeFile(file, bytes);
      return await handler(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** tuf-js's errors as the client's: the source's own failure as it was, expiry and rollback and bad signatures as TrustErrors. */
async function translated<T>(fetcher: SourceFetcher, path: string, run: () => Promise<T>): Promise<T> {
  fetcher.sourceError = undefined;
  try {
    return await run();
  } catch (error) {
    if (fetcher.sourceError !== undefined) throw fetcher.sourceError;
    if (error instanceof GranaryError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const where = `${METADATA_DIR}/ (reading ${path})`;
    if (error instanceof tufErrors.ExpiredMetadataError || /expired/i.test(message))
      throw new TrustError(`the registry's signed metadata has expired (${message})`, {
        where,
        hint: 'the registry (or this mirror) has stopped re-signing its timestamp, or serves an old copy: use an up-to-date mirror, or tell the registry operators',
        cause: error,
      });
    if (error instanceof tufErrors.BadVersionError || /BadVersionError/.test(message))
      throw new TrustError(`the registry's metadata versions do not agree with what this client trusts (${message})`, {
        where,
        hint: 'the index was rolled back (a stale mirror or a replay), or mixes files of different generations: use an up-to-date mirror',
        cause: error,
      });
    if (error instanceof tufErrors.DownloadError)
      throw new SourceError(`could not read the registry's metadata (${message})`, {
        where,
        hint: 'the mirror may be incomplete; try again or use another mirror',
        cause: error,
      });
    throw new TrustError(`the registry's metadata does not verify (${message})`, {
      where,
      hint: TAMPERED,
      cause: error,
    });
  }
}
