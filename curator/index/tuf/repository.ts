/**
 * The index as a TUF repository: read the current generation (verified against the registry's root)
 * and write the next one. A generation is a timestamp, a snapshot, the top-level targets (delegations
 * only) and hashed bins listing every target file; every file but `timestamp.json` has a name of its
 * own (consistent snapshots), and the files a generation replaces stay for `keepMs` before removal.
 * Each target is also kept at its plain path (current bytes only) for readers that do not speak TUF.
 */
import type { KeyObject } from 'node:crypto';
import { sha256Hex } from '../../../core/hash.js';
import {
  consistentTargetPath,
  ROOT_PATH,
  TIMESTAMP_PATH,
  TUF_SPEC_VERSION,
  versionedMetadataPath,
} from '../../../core/tuf-layout.js';
import { binLayout, binNames, binOf, binPrefixes } from '../../../core/tuf/bins.js';
import {
  RETIRED_FILE,
  type CurrentGeneration,
  type GenerationInfo,
  type MetaEntry,
  type SnapshotSigned,
  type TargetEntry,
  type TargetsSigned,
  type TimestampSigned,
} from '../../../core/tuf/generation.js';
import { envelopeBytes, signEnvelope, tufKeyOf, tufTime } from './keys.js';

export const DAY_MS = 86_400_000;

/** How long metadata stays valid, and how long replaced files are kept. */
export interface Lifetimes {
  /** timestamp.json: short, so a frozen mirror is noticed (default 1 day). */
  timestampMs: number;
  /** snapshot, targets and bins (default 365 days; re-signed by `index refresh` 30 days before). */
  metadataMs: number;
  /** Files a generation replaces are removed this long after (default 1 day: a client holding an unexpired timestamp can finish). */
  keepMs: number;
}

export const DEFAULT_LIFETIMES: Lifetimes = { timestampMs: DAY_MS, metadataMs: 365 * DAY_MS, keepMs: DAY_MS };
/** `index refresh` re-signs metadata this long before it expires. */
export const RENEW_BEFORE_MS = 30 * DAY_MS;

export type {
  CurrentGeneration,
  FileReader,
  GenerationInfo,
  SnapshotSigned,
  TargetEntry,
  TargetsSigned,
  TimestampSigned,
} from '../../../core/tuf/generation.js';
export { openGeneration, RETIRED_FILE } from '../../../core/tuf/generation.js';

export interface NextGeneration {
  /** The generation to build on, undefined for the first. */
  current: CurrentGeneration | undefined;
  /** Target files whose bytes changed (new ones included). */
  changed: ReadonlyMap<string, Buffer>;
  /** Target files that are no longer part of the index (a rebuild that dropped what main never led to). */
  removed?: readonly string[];
  /** Every root version, oldest first (published under `metadata/` when missing). */
  roots: readonly Buffer[];
  onlineKey: KeyObject;
  commit: string;
  createdAt: string;
  /** Wall-clock time of signing (expiry and retirement count from it). */
  now: number;
  lifetimes?: Lifetimes;
  /** Re-sign every bin even if unchanged (a new online key, or `index refresh` renewing them). */
  resignAll?: boolean;
}

export interface WrittenGeneration {
  /** Path → new bytes, or null for a file removed. */
  changes: Map<string, Buffer | null>;
  info: GenerationInfo;
  /** Bins written. */
  bins: number;
}

/** The next generation: the changed targets under their hashed names, the bins they fall in, a new snapshot and timestamp. */
export async function writeGeneration(input: NextGeneration): Promise<WrittenGeneration> {
  const lifetimes = input.lifetimes ?? DEFAULT_LIFETIMES;
  const { current, now } = input;
  const key = tufKeyOf(input.onlineKey);
  const changes = new Map<string, Buffer | null>();
  const retired = new Map(current?.retired ?? []);
  const at = tufTime(now);
  const retire = (path: string) => retired.set(path, at);
  const put = (path: string, bytes: Buffer) => {
    changes.set(path, bytes);
    retired.delete(path);
  };

  // Roots first: a client walks 1.root.json, 2.root.json, … before anything else.
  for (const [i, bytes] of input.roots.entries())
    if (current === undefined || i + 1 > current.rootVersion) put(versionedMetadataPath('root', i + 1), bytes);
  if (current === undefined || input.roots.length > current.rootVersion)
    put(ROOT_PATH, input.roots[input.roots.length - 1]!);

  // The targets: what changed, and how many there are now.
  const entries = new Map<string, TargetEntry | undefined>();
  let count = current?.info.targets ?? 0;
  for (const [path, bytes] of input.changed) {
    const before = current === undefined ? undefined : await current.target(path);
    const entry: TargetEntry = { length: bytes.length, hashes: { sha256: sha256Hex(bytes) } };
    if (before?.hashes.sha256 === entry.hashes.sha256) continue;
    if (before === undefined) count++;
    else retire(consistentTargetPath(path, before.hashes.sha256));
    entries.set(path, entry);
    put(consistentTargetPath(path, entry.hashes.sha256), bytes);
    // The plain path holds the current bytes too, for readers that do not speak TUF (git clones, the PR gate).
    put(path, bytes);
  }

  for (const path of input.removed ?? []) {
    const before = current === undefined ? undefined : await current.target(path);
    if (before === undefined) continue;
    count--;
    retire(consistentTargetPath(path, before.hashes.sha256));
    changes.set(path, null);
    entries.set(path, undefined);
  }

  const layout = binLayout(count);
  const sameKey = current?.targets.delegations?.keys[key.keyid] !== undefined;
  const reshape = current === undefined || current.layout.count !== layout.count || !sameKey;
  const expires = tufTime(now + lifetimes.metadataMs);
  const meta: Record<string, MetaEntry> = { ...(current?.snapshot.meta ?? {}) };

  // Bins: the ones holding a changed target, or all of them when the layout or the key changes.
  const byBin = new Map<string, Map<string, TargetEntry>>();
  if (reshape) {
    for (const name of binNames(layout)) byBin.set(name, new Map());
    if (current !== undefined) {
      for (const name of binNames(current.layout)) {
        for (const [path, entry] of Object.entries((await current.bin(name)).targets))
          byBin.get(binOf(layout, path))!.set(path, entry);
        retire(versionedMetadataPath(name, current.snapshot.meta[`${name}.json`]!.version));
        delete meta[`${name}.json`];
      }
    }
  } else {
    const names = input.resignAll ? binNames(layout) : [...entries.keys()].map((p) => binOf(layout, p));
    for (const name of names) {
      if (byBin.has(name)) continue;
      byBin.set(name, new Map(Object.entries((await current!.bin(name)).targets)));
    }
  }
  for (const [path, entry] of entries) {
    const bin = byBin.get(binOf(layout, path))!;
    if (entry === undefined) bin.delete(path);
    else bin.set(path, entry);
  }
  for (const [name, targets] of byBin) {
    const previous = current?.snapshot.meta[`${name}.json`]?.version;
    if (previous !== undefined && !reshape) retire(versionedMetadataPath(name, previous));
    const version = (previous ?? 0) + 1;
    const sorted: Record<string, TargetEntry> = {};
    for (const path of [...targets.keys()].sort()) sorted[path] = targets.get(path)!;
    const signed: TargetsSigned = {
      _type: 'targets',
      expires,
      spec_version: TUF_SPEC_VERSION,
      targets: sorted,
      version,
    };
    put(versionedMetadataPath(name, version), envelopeBytes(signEnvelope(signed, [input.onlineKey])));
    meta[`${name}.json`] = { version };
  }

  // Top-level targets: delegations only, re-signed when they change.
  if (reshape || input.resignAll) {
    const previous = current?.snapshot.meta['targets.json']?.version;
    if (previous !== undefined) retire(versionedMetadataPath('targets', previous));
    const version = (previous ?? 0) + 1;
    const signed: TargetsSigned = {
      _type: 'targets',
      delegations: {
        keys: { [key.keyid]: key.key },
        roles: binNames(layout).map((name, i) => ({
          keyids: [key.keyid],
          name,
          path_hash_prefixes: binPrefixes(layout, i),
          terminating: true,
          threshold: 1,
        })),
      },
      expires,
      spec_version: TUF_SPEC_VERSION,
      targets: {},
      version,
    };
    put(versionedMetadataPath('targets', version), envelopeBytes(signEnvelope(signed, [input.onlineKey])));
    meta['targets.json'] = { version };
  }

  const snapshotVersion = (current?.info.version ?? 0) + 1;
  if (current !== undefined) retire(versionedMetadataPath('snapshot', current.info.version));
  const sortedMeta: Record<string, MetaEntry> = {};
  for (const k of Object.keys(meta).sort()) sortedMeta[k] = meta[k]!;
  const snapshot: SnapshotSigned = {
    _type: 'snapshot',
    expires,
    granary: { commit: input.commit, createdAt: input.createdAt, targets: count },
    meta: sortedMeta,
    spec_version: TUF_SPEC_VERSION,
    version: snapshotVersion,
  };
  const snapshotBytes = envelopeBytes(signEnvelope(snapshot, [input.onlineKey]));
  put(versionedMetadataPath('snapshot', snapshotVersion), snapshotBytes);
  put(
    TIMESTAMP_PATH,
    timestampBytes(
      (current?.timestamp.version ?? 0) + 1,
      snapshotVersion,
      snapshotBytes,
      now,
      lifetimes,
      input.onlineKey,
    ),
  );

  // Replaced files go once they have been replaced for longer than keepMs.
  const cutoff = tufTime(now - lifetimes.keepMs);
  for (const [path, when] of [...retired]) {
    if (when < cutoff) {
      changes.set(path, null);
      retired.delete(path);
    }
  }
  const ledger = [...retired].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
  const ledgerText = ledger.map(([path, when]) => `${when} ${path}\n`).join('');
  if (ledgerText !== '' || current?.retired.size)
    changes.set(RETIRED_FILE, ledgerText === '' ? null : Buffer.from(ledgerText));

  return {
    changes,
    info: { version: snapshotVersion, commit: input.commit, createdAt: input.createdAt, targets: count },
    bins: byBin.size,
  };
}

/** The metadata files of a generation: roots, timestamp, its snapshot, targets and bins. */
export function generationFiles(generation: CurrentGeneration, rootVersions: number): string[] {
  const out = [ROOT_PATH, TIMESTAMP_PATH, versionedMetadataPath('snapshot', generation.info.version)];
  for (let n = 1; n <= rootVersions; n++) out.push(versionedMetadataPath('root', n));
  for (const [file, meta] of Object.entries(generation.snapshot.meta))
    out.push(versionedMetadataPath(file.slice(0, -'.json'.length), meta.version));
  return out;
}

/** timestamp.json for a snapshot. */
export function timestampBytes(
  version: number,
  snapshotVersion: number,
  snapshotBytes: Buffer,
  now: number,
  lifetimes: Lifetimes,
  onlineKey: KeyObject,
): Buffer {
  const signed: TimestampSigned = {
    _type: 'timestamp',
    expires: tufTime(now + lifetimes.timestampMs),
    meta: {
      'snapshot.json': {
        hashes: { sha256: sha256Hex(snapshotBytes) },
        length: snapshotBytes.length,
        version: snapshotVersion,
      },
    },
    spec_version: TUF_SPEC_VERSION,
    version,
  };
  return envelopeBytes(signEnvelope(signed, [onlineKey]));
}
