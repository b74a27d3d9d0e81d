/**
 * `index refresh`: keep a quiet index valid. The timestamp (1 day) is re-signed once half its life is
 * gone; the snapshot, targets and bins are re-signed 30 days before they expire; roots added on main
 * are published. Run on a schedule (the curate workflow, the app's timer); nothing else changes.
 */
import { TrustError, UsageError } from '../../core/errors.js';
import { loadPrivateKey } from '../../core/signing.js';
import { TIMESTAMP_PATH, versionedMetadataPath } from '../../core/tuf-layout.js';
import { registryAt } from '../curate/curate.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { commitIndex, openIndexBranch } from './index-branch.js';
import { binNames } from '../../core/tuf/bins.js';
import { tufTime } from './tuf/keys.js';
import {
  DEFAULT_LIFETIMES,
  RENEW_BEFORE_MS,
  timestampBytes,
  writeGeneration,
  type Lifetimes,
} from './tuf/repository.js';
import { checkOnlineKey } from './tuf/root.js';
import { branchTrust, registryRoots } from './tuf/trust.js';

/** The clone whose index is re-signed, the key, and the lifetimes. */
export interface RefreshOptions {
  repoDir: string;
  signingKeyPem: string;
  /** Default: registry.yaml `indexBranch` at HEAD. */
  indexBranch?: string;
  now?: number;
  lifetimes?: Lifetimes;
  /** Re-sign the timestamp even if it has more than half its life left. */
  force?: boolean;
}

/** What a refresh signed anew, and the index commit it made. */
export interface RefreshReport {
  /** What was signed anew: nothing, the timestamp alone, or a whole new generation (snapshot and what expires). */
  resigned: 'nothing' | 'timestamp' | 'generation';
  indexCommit: string | undefined;
  snapshotVersion: number;
  /** When the timestamp now expires. */
  expires: string;
  /** When the latest root expires: it must be renewed (a `granary root rotate` without new keys) before then. */
  rootExpires: string;
}

/** Re-sign what of the index nears expiry (the timestamp; the snapshot, targets and bins) as a new commit on the index branch. */
export async function refreshIndex(options: RefreshOptions): Promise<RefreshReport> {
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    const now = options.now ?? Date.now();
    const lifetimes = options.lifetimes ?? DEFAULT_LIFETIMES;
    const key = loadPrivateKey(options.signingKeyPem, '--sign-key');
    const head = await git.resolveRef('HEAD');
    if (head === undefined) throw new UsageError('the registry repository has no commits', { where: options.repoDir });
    const registry = await registryAt(git.objects, head);
    const roots = await registryRoots(git.objects, head, registry, { signingKey: key });
    checkOnlineKey(roots.chain.at(-1)!, key, roots.where);
    const index = await openIndexBranch(
      git,
      options.indexBranch ?? registry.indexBranch,
      branchTrust((commit) => registryAt(git.objects, commit), git.objects, roots),
    );
    const generation = index.generation;
    if (generation === undefined || index.tip === undefined)
      throw new UsageError('there is no index to refresh', { hint: 'run `granary curate` first' });

    const renewBy = tufTime(now + RENEW_BEFORE_MS);
    const rootExpires = roots.chain.at(-1)!.signed.expires;
    let expiring = generation.snapshot.expires < renewBy || generation.targets.expires < renewBy;
    for (const name of binNames(generation.layout)) {
      if (expiring) break;
      expiring = (await generation.bin(name)).expires < renewBy;
    }
    const newRoots = roots.bytes.length > generation.rootVersion;
    let changes: Map<string, Buffer | null>;
    let snapshotVersion = generation.info.version;
    let resigned: RefreshReport['resigned'];
    if (expiring || newRoots) {
      const written = await writeGeneration({
        current: generation,
        changed: new Map(),
        roots: roots.bytes,
        onlineKey: key,
        commit: generation.info.commit,
        createdAt: generation.info.createdAt,
        now,
        lifetimes,
        resignAll: expiring,
      });
      changes = written.changes;
      snapshotVersion = written.info.version;
      resigned = 'generation';
    } else if (options.force === true || generation.timestamp.expires < tufTime(now + lifetimes.timestampMs / 2)) {
      const snapshotPath = versionedMetadataPath('snapshot', generation.info.version);
      const snapshotBytes = await index.reader.read(`${index.tip}:${snapshotPath}`);
      if (snapshotBytes === undefined)
        throw new TrustError(`${snapshotPath} is missing from the index`, { where: `${index.branch}:${snapshotPath}` });
      changes = new Map([
        [
          TIMESTAMP_PATH,
          timestampBytes(generation.timestamp.version + 1, generation.info.version, snapshotBytes, now, lifetimes, key),
        ],
      ]);
      resigned = 'timestamp';
    } else {
      return {
        resigned: 'nothing',
        indexCommit: undefined,
        snapshotVersion,
        expires: generation.timestamp.expires,
        rootExpires,
      };
    }
    const expires = tufTime(now + lifetimes.timestampMs);
    const committed = await commitIndex(git, {
      branch: index.branch,
      parent: index.tip,
      changes,
      message: `Refresh the index: ${resigned === 'timestamp' ? 'timestamp' : `snapshot version ${snapshotVersion}`} valid until ${expires}\n`,
      date: new Date(now).toISOString(),
    });
    return { resigned, indexCommit: committed.commit, snapshotVersion, expires, rootExpires };
  } finally {
    git.close();
  }
}
