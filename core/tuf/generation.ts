/**
 * One generation of a Granary index read as TUF metadata: timestamp, snapshot, top-level targets and
 * hashed bins, each verified (signatures with tuf-js's models, versions and hashes along the chain)
 * against a root the caller trusts, read lazily. Expiry is not checked here: the curator builds on
 * expired metadata (it re-signs it), and a client reading an old generation on purpose asks for it.
 */
import { createPublicKey, verify } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind, type Root } from '@tufjs/models';
import { TrustError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { consistentTargetPath, ROOT_PATH, TIMESTAMP_PATH, versionedMetadataPath } from '../tuf-layout.js';
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
  /**
   * A target's bytes, read under its hash-prefixed name and checked against its bin's length and hash
   * (`fail` makes the error, given that name); undefined when no bin lists it.
   */
  file(path: string, fail: (file: string) => Error): Promise<Buffer | undefined>;
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
  const targets = await load<TargetsSigned>(targetsPath, MetadataKind.Targets, (md) =>
    root.verifyDelegate(MetadataKind.Targets, md),
  );
  const layout = layoutOf(targets.signed.delegations?.roles.length ?? 16);
  const bins = new Map<string, Promise<TargetsSigned>>();
  const bin = (role: string) => {
    let hit = bins.get(role);
    if (hit === undefined) {
      const version = snapshot.signed.meta[`${role}.json`]?.version;
      const path = versionedMetadataPath(role, version ?? 0);
      hit = (async () => {
        const bytes = await read(path);
        if (bytes === undefined)
          throw new TrustError(`${path} is missing from the index`, { where: where(path), hint: REBUILD_HINT });
        return verifiedBin(
          bytes,
          role,
          version,
          targets.signed,
          (problem) =>
            new TrustError(`${path} does not verify: ${problem}`, { where: where(path), hint: REBUILD_HINT }),
        );
      })();
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
    async file(path, fail) {
      const entry = (await bin(binOf(layout, path))).targets[path];
      if (entry === undefined) return undefined;
      const file = consistentTargetPath(path, entry.hashes.sha256);
      const bytes = await read(file);
      if (bytes === undefined || bytes.length !== entry.length || sha256Hex(bytes) !== entry.hashes.sha256)
        throw fail(file);
      return bytes;
    },
    retired,
  };
}

/**
 * A bin, checked as TUF's client workflow checks a delegated targets role (§5.6): its type, the version
 * the snapshot names, and a threshold of signatures by the keys the delegation names, each over the
 * canonical JSON of `signed`. Done here rather than with tuf-js's models, whose reading of a targets file
 * grows with the square of its size (a bin of 256 targets costs 5 ms there, of 1,024 ten times more).
 */
function verifiedBin(
  bytes: Buffer,
  role: string,
  version: number | undefined,
  delegator: TargetsSigned,
  fail: (problem: string) => Error,
): TargetsSigned {
  let envelope: Envelope<TargetsSigned>;
  try {
    envelope = JSON.parse(bytes.toString('utf8')) as Envelope<TargetsSigned>;
  } catch {
    throw fail('not JSON');
  }
  const signed = envelope?.signed;
  if (signed?._type !== 'targets' || typeof signed.targets !== 'object' || signed.targets === null)
    throw fail('not a targets role');
  if (signed.version !== version) throw fail(`version ${String(signed.version)}, the snapshot names ${version}`);
  const delegation = delegator.delegations?.roles.find((r) => r.name === role);
  if (delegation === undefined) throw fail(`the targets role delegates no ${role}`);
  const data = Buffer.from(canonicalize(signed));
  const signers = new Set<string>();
  for (const signature of Array.isArray(envelope.signatures) ? envelope.signatures : []) {
    const keyid = signature?.keyid;
    if (typeof keyid !== 'string' || !delegation.keyids.includes(keyid) || signers.has(keyid)) continue;
    const key = delegator.delegations?.keys[keyid];
    if (key?.keytype !== 'ed25519' || key.scheme !== 'ed25519' || !/^[0-9a-f]{64}$/.test(key.keyval.public)) continue;
    if (typeof signature.sig !== 'string' || !/^[0-9a-f]{128}$/.test(signature.sig)) continue;
    const publicKey = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(key.keyval.public, 'hex')]),
      format: 'der',
      type: 'spki',
    });
    if (verify(null, data, publicKey, Buffer.from(signature.sig, 'hex'))) signers.add(keyid);
  }
  if (signers.size < delegation.threshold)
    throw fail(`signed by ${signers.size} of the ${delegation.threshold} key(s) its delegation requires`);
  for (const [path, entry] of Object.entries(signed.targets)) {
    if (typeof entry?.length !== 'number' || !/^[0-9a-f]{64}$/.test(entry?.hashes?.sha256 ?? ''))
      throw fail(`its entry for ${JSON.stringify(path.slice(0, 80))} has no length and SHA-256`);
  }
  return signed;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const REBUILD_HINT =
  "the index branch was changed outside this registry's curator: rebuild it from main with `granary index build` (then `granary index check`) and curate again";
