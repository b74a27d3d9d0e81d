/**
 * One generation of a Granary index read as TUF metadata: timestamp, snapshot, top-level targets and
 * hashed bins, each verified (signatures with tuf-js's models, versions and hashes along the chain)
 * against a root the caller trusts, read lazily. Expiry is not checked here: the curator builds on
 * expired metadata (it re-signs it), and a client reading an old generation on purpose asks for it.
 */
import { Metadata, MetadataKind, type Root, type Targets } from '@tufjs/models';
import { TrustError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { ROOT_PATH, TIMESTAMP_PATH, versionedMetadataPath } from '../tuf-layout.js';
import { binOf, layoutOf, type BinLayout } from './bins.js';

/** A signed metadata file as written. */
interface Envelope<T> {
  signatures: Array<{ keyid: string; sig: string }>;
  signed: T;
}

/** What the snapshot says about the registry besides TUF: the main commit curated up to. */
export interface GenerationInfo {
  /** The snapshot version (one per index generation). */
  version: number;
  commit: string;
  createdAt: string;
  /** Number of target files. */
  targets: number;
}

export interface TargetEntry {
  length: number;
  hashes: { sha256: string };
}

export interface MetaEntry {
  version: number;
  length?: number;
  hashes?: { sha256: string };
}

interface CommonSigned {
  _type: string;
  expires: string;
  spec_version: string;
  version: number;
}

export interface TimestampSigned extends CommonSigned {
  _type: 'timestamp';
  meta: { 'snapshot.json': MetaEntry };
}

export interface SnapshotSigned extends CommonSigned {
  _type: 'snapshot';
  meta: Record<string, MetaEntry>;
  granary: Omit<GenerationInfo, 'version'>;
}

export interface DelegatedRoleJson {
  keyids: string[];
  name: string;
  path_hash_prefixes: string[];
  terminating: boolean;
  threshold: number;
}

export interface TargetsSigned extends CommonSigned {
  _type: 'targets';
  targets: Record<string, TargetEntry>;
  delegations?: {
    keys: Record<string, { keytype: string; scheme: string; keyval: { public: string } }>;
    roles: DelegatedRoleJson[];
  };
}

/** The generation on the index branch, read lazily and verified as it is read. */
export interface CurrentGeneration {
  info: GenerationInfo;
  rootVersion: number;
  timestamp: TimestampSigned;
  snapshot: SnapshotSigned;
  targets: TargetsSigned;
  layout: BinLayout;
  /** A bin's targets (verified against the delegation and the snapshot's version). */
  bin(role: string): Promise<TargetsSigned>;
  /** A target's length and hash, or undefined when it is not in the index. */
  target(path: string): Promise<TargetEntry | undefined>;
  /** The files replaced earlier and when: `retired.txt`. */
  retired: Map<string, string>;
}

export type FileReader = (path: string) => Promise<Buffer | undefined>;

/** The curator's list of replaced files and when (clients ignore it). */
export const RETIRED_FILE = 'retired.txt';

/**
 * The generation that `read` serves, every file checked against `root` (the registry's root at the
 * version the index names, which the caller has verified): anything else is a TrustError.
 */
export async function openGeneration(
  read: FileReader,
  root: Metadata<Root>,
  where: (path: string) => string,
): Promise<CurrentGeneration> {
  const load = async <T>(path: string, kind: MetadataKind, check: (md: Metadata<never>) => void) => {
    const bytes = await read(path);
    if (bytes === undefined)
      throw new TrustError(`${path} is missing from the index`, { where: where(path), hint: REBUILD_HINT });
    let md: Metadata<never>;
    try {
      md = Metadata.fromJSON(kind as MetadataKind.Targets, JSON.parse(bytes.toString('utf8'))) as never;
      check(md);
    } catch (cause) {
      if (cause instanceof TrustError) throw cause;
      throw new TrustError(`${path} does not verify: ${cause instanceof Error ? cause.message : String(cause)}`, {
        where: where(path),
        hint: REBUILD_HINT,
        cause,
      });
    }
    return { bytes, signed: (JSON.parse(bytes.toString('utf8')) as Envelope<T>).signed };
  };
  const timestamp = await load<TimestampSigned>(TIMESTAMP_PATH, MetadataKind.Timestamp, (md) =>
    root.verifyDelegate(MetadataKind.Timestamp, md),
  );
  const snapshotMeta = timestamp.signed.meta['snapshot.json'];
  const snapshotPath = versionedMetadataPath('snapshot', snapshotMeta.version);
  const snapshot = await load<SnapshotSigned>(snapshotPath, MetadataKind.Snapshot, (md) =>
    root.verifyDelegate(MetadataKind.Snapshot, md),
  );
  if (snapshotMeta.hashes !== undefined && sha256Hex(snapshot.bytes) !== snapshotMeta.hashes.sha256)
    throw new TrustError(`${snapshotPath} is not the snapshot timestamp.json names`, {
      where: where(snapshotPath),
      hint: REBUILD_HINT,
    });
  const targetsVersion = snapshot.signed.meta['targets.json']?.version ?? 0;
  const targetsPath = versionedMetadataPath('targets', targetsVersion);
  let targetsMd: Metadata<Targets> | undefined;
  const targets = await load<TargetsSigned>(targetsPath, MetadataKind.Targets, (md) => {
    root.verifyDelegate(MetadataKind.Targets, md);
    targetsMd = md as Metadata<Targets>;
  });
  const layout = layoutOf(targets.signed.delegations?.roles.length ?? 16);
  const bins = new Map<string, Promise<TargetsSigned>>();
  const bin = (role: string) => {
    let hit = bins.get(role);
    if (hit === undefined) {
      const version = snapshot.signed.meta[`${role}.json`]?.version;
      const path = versionedMetadataPath(role, version ?? 0);
      hit = load<TargetsSigned>(path, MetadataKind.Targets, (md) => {
        targetsMd!.verifyDelegate(role, md);
        if ((md as Metadata<Targets>).signed.version !== version)
          throw new TrustError(`${path} is version ${(md as Metadata<Targets>).signed.version}`, {
            where: where(path),
          });
      }).then((b) => b.signed);
      bins.set(role, hit);
    }
    return hit;
  };
  const retiredBytes = await read(RETIRED_FILE);
  const retired = new Map<string, string>();
  for (const line of (retiredBytes?.toString('utf8') ?? '').split('\n')) {
    const m = /^(\S+) (\S+)$/.exec(line);
    if (m) retired.set(m[2]!, m[1]!);
  }
  const rootBytes = await read(ROOT_PATH);
  const rootVersion =
    rootBytes === undefined
      ? 0
      : (JSON.parse(rootBytes.toString('utf8')) as Envelope<{ version: number }>).signed.version;
  return {
    info: { version: snapshot.signed.version, ...snapshot.signed.granary },
    rootVersion,
    timestamp: timestamp.signed,
    snapshot: snapshot.signed,
    targets: targets.signed,
    layout,
    bin,
    target: async (path) => (await bin(binOf(layout, path))).targets[path],
    retired,
  };
}

const REBUILD_HINT =
  "the index branch was changed outside this registry's curator: rebuild it from main with `granary index build` (then `granary index check`) and curate again";
