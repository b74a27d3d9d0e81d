/** `curate`: publish what merged on main since the last index commit, and commit the new signed index. */
import { GitError, InputError, TrustError, UsageError } from '../../core/errors.js';
import { REGISTRY_FILE, type RegistryConfig } from '../../core/registry-config.js';
import { loadPrivateKey, publicKeyOf } from '../../core/signing.js';
import type { IndexConfig } from '../../schema/types.js';
import { CONFIG_FILE, parseConfig } from '../index/index-files.js';
import { commitIndex, openIndexBranch } from '../index/index-branch.js';
import { IndexState } from '../index/index-state.js';
import { writeGeneration, type GenerationInfo } from '../index/tuf/repository.js';
import { checkOnlineKey } from '../index/tuf/root.js';
import { branchTrust, registryRoots, trustFolderAt, type RegistryRoots } from '../index/tuf/trust.js';
import type { KeyObject } from 'node:crypto';
import { isRevisionName } from '../../core/git/ref-names.js';
import { indexPath } from '../../core/index-path.js';
import { tarballName } from '../../core/names.js';
import { firstParentCommits } from '../git/history.js';
import { Git, REGISTRY_REPO_HINT, type BlobReader } from '../git/repository.js';
import { replay, type Publisher, type ReplayResult } from '../index/replay.js';
import { parseRegistrySettings, validSettings } from '../registry/parse.js';
import { createMergeGate } from './merge-gate.js';
import { createStorePublisher } from './store-publisher.js';
import type { PackFunction } from '../pack/types.js';
import type { CurateOptions, CurateReport } from './types.js';

/** Curate main up to `options.head` (default HEAD): publish, revise, unpublish, then commit the index once. */
export async function curate(options: CurateOptions): Promise<CurateReport> {
  // One repository for the run: its one object reader resolves the refs and reads every blob.
  const git = options.git ?? new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  const done = () => {
    if (options.git === undefined) git.close();
  };
  const log = options.log ?? (() => undefined);
  const headRev = options.head ?? 'HEAD';
  const head = isRevisionName(headRev)
    ? await git.resolveRef(headRev).catch((cause: unknown) => {
        if (cause instanceof GitError) return undefined;
        throw cause;
      })
    : undefined;
  if (head === undefined) {
    done();
    throw new UsageError(`${JSON.stringify(headRev.slice(0, 80))} does not name a commit`, {
      where: options.repoDir,
      hint: 'pass --repo pointing at a clone of the registry with main checked out',
    });
  }

  const reader = git.objects;
  try {
    const headRegistry = await registryAt(reader, head);
    if (options.mainBranch !== undefined && options.mainBranch !== headRegistry.mainBranch) {
      throw new UsageError(
        `registry.yaml on ${options.mainBranch} says the main branch is ${headRegistry.mainBranch}: only that branch is curated`,
        {
          where: `${options.mainBranch}:${REGISTRY_FILE}`,
          hint: `curate ${headRegistry.mainBranch} (--main-branch ${headRegistry.mainBranch}), or change mainBranch in registry.yaml on it`,
        },
      );
    }
    const signingKey =
      options.signingKeyPem === undefined ? undefined : loadPrivateKey(options.signingKeyPem, '--sign-key');
    const unsigned = options.dryRun === true || options.plan === true;
    const headRoots = await rootsToSign(reader, head, headRegistry, signingKey, unsigned);
    if (!options.dryRun && options.plan !== true && options.stores.length === 0) {
      throw new UsageError('no release store to publish to', {
        hint: 'pass --store fs:DIR or --store github:OWNER/REPO, or list `stores:` in registry.yaml',
      });
    }
    const index = await openIndexBranch(
      git,
      options.indexBranch ?? headRegistry.indexBranch,
      branchTrust((commit) => registryAt(reader, commit), reader, headRoots),
    );
    const from = index.generation?.info.commit;
    const commits = await firstParentCommits(git, from, head);
    const empty: CurateReport = {
      published: [],
      revised: [],
      unpublished: [],
      refused: [],
      indexCommit: undefined,
      snapshotVersion: index.generation?.info.version,
      curatedCommit: head,
      changedFiles: 0,
    };
    if (commits.length === 0) {
      log(`nothing new on main since ${head.slice(0, 12)}`);
      return empty;
    }
    if (options.pullRequests?.oneChange === true && commits.length > 1) {
      throw new UsageError(
        `${commits.length} merged changes wait to be curated, and --author/--approved-by describe one pull request`,
        {
          where: `main ${commits[0]!.id.slice(0, 12)}..${commits[commits.length - 1]!.id.slice(0, 12)}`,
          hint: `curate one change at a time with --head (the first is ${commits[0]!.id.slice(0, 12)}), or pass --github OWNER/REPO to look up each change's pull request`,
        },
      );
    }
    const state = new IndexState(index.source);
    const gate = await createMergeGate(git, from, state, options.pullRequests, index.tip);
    const publisher =
      options.plan === true
        ? PLANNING_PUBLISHER
        : createStorePublisher({
            stores: options.stores,
            pack: options.pack ?? (await defaultPacker()),
            cwd: options.repoDir,
            dryRun: options.dryRun === true,
            sidecars: headRegistry.sidecars,
            faults: options.faults,
          });
    const result = await replay({
      git,
      reader: index.reader,
      state,
      commits,
      registry: from === undefined ? undefined : await registryAt(index.reader, from),
      publisher,
      gate,
      log,
    });
    const last = commits[commits.length - 1]!;
    const report: CurateReport = {
      ...empty,
      published: result.published.map(({ contentHash: _, ...p }) => p),
      revised: result.revised,
      unpublished: result.unpublished,
      refused: result.refused,
      curatedCommit: last.id,
    };
    if (options.plan === true) {
      const first = new Set<string>();
      for (const p of result.published)
        if ((await index.source.hash(indexPath(p.name))) === undefined) first.add(p.name);
      return { ...report, firstPublications: [...first].sort() };
    }
    // A new root on main (a key rotation) is published even when no registry file changed.
    const newRoot = headRoots !== undefined && headRoots.bytes.length > (index.generation?.rootVersion ?? 0);
    if (!result.relevant && !newRoot) {
      log('no registry files changed: the index stays as it is');
      return { ...report, curatedCommit: from ?? head };
    }

    const config: IndexConfig = {
      format: 2,
      name: result.registry.name,
      assetBase: await assetBaseFor(result.registry, options, index.source.read),
    };
    const changed = await state.render(config);
    if (signingKey === undefined || headRoots === undefined) {
      log(`dry run: would change ${changed.size} index file(s)`);
      return { ...report, snapshotVersion: (index.generation?.info.version ?? 0) + 1, changedFiles: changed.size };
    }
    const written = await writeGeneration({
      current: index.generation,
      changed,
      roots: headRoots.bytes,
      onlineKey: signingKey,
      commit: last.id,
      createdAt: last.time,
      now: options.now ?? Date.now(),
      ...(options.lifetimes === undefined ? {} : { lifetimes: options.lifetimes }),
    });
    const changes = written.changes;
    const info = written.info;
    if (options.dryRun) {
      log(`dry run: would commit ${changes.size} index file(s) as snapshot version ${info.version}`);
      return { ...report, snapshotVersion: info.version, changedFiles: changes.size };
    }
    const committed = await commitIndex(git, {
      branch: index.branch,
      parent: index.tip,
      changes,
      message: commitMessage(result, info),
      date: last.time,
      fault: options.faults,
    });
    log(
      `index commit ${committed.commit.slice(0, 12)}: snapshot version ${info.version}, ${committed.blobs} file(s) written`,
    );
    return {
      ...report,
      indexCommit: committed.commit,
      snapshotVersion: info.version,
      changedFiles: committed.blobs,
    };
  } finally {
    done();
  }
}

/** A publisher for plans: nothing packed, nothing stored, placeholder hashes (nothing of them is written). */
const PLANNING_PUBLISHER: Publisher = {
  publish: async (definition) => ({
    sha256: '0'.repeat(64),
    integrity: `sha256-${Buffer.alloc(32).toString('base64')}`,
    size: 0,
    commit: '0'.repeat(40),
    asset: `${definition.name}/${tarballName(definition.name, definition.version)}`,
    urls: [],
  }),
  unpublish: async () => undefined,
};

/** registry.yaml at `commit`. */
export async function registryAt(reader: BlobReader, commit: string): Promise<RegistryConfig> {
  const bytes = await reader.read(`${commit}:${REGISTRY_FILE}`);
  if (bytes === undefined)
    throw new InputError(`there is no registry.yaml at ${commit.slice(0, 12)}`, {
      where: REGISTRY_FILE,
      hint: 'curate runs on a clone of the registry repository; check --repo',
    });
  return validSettings(parseRegistrySettings(bytes, `${commit.slice(0, 12)}:${REGISTRY_FILE}`));
}

/**
 * The roots main holds at `head`, and the online key checked against the latest: the key must be the one
 * the root names for targets, snapshot and timestamp (registry.yaml `publicKey` for a single-key registry).
 * Undefined for a run that signs nothing (dry run or plan) without a key.
 */
async function rootsToSign(
  reader: BlobReader,
  head: string,
  registry: RegistryConfig,
  signingKey: KeyObject | undefined,
  unsigned: boolean,
): Promise<RegistryRoots | undefined> {
  if (signingKey === undefined) {
    if (unsigned) return undefined;
    throw new UsageError('curate signs the index, but no signing key was given', {
      where: REGISTRY_FILE,
      hint: 'pass --sign-key FILE or set GRANARY_SIGNING_KEY (the PEM text or a path to it); `granary keygen` makes one',
    });
  }
  if ((await trustFolderAt(reader, head)) === undefined) checkSigningKey(registry, publicKeyOf(signingKey));
  const roots = await registryRoots(reader, head, registry, { signingKey });
  checkOnlineKey(roots.chain.at(-1)!, signingKey, `${roots.where} (version ${roots.chain.length})`);
  return roots;
}

/** A single-key registry's key must be the one registry.yaml names. */
export function checkSigningKey(registry: RegistryConfig, keyPublic: string): void {
  if (registry.publicKey !== keyPublic) {
    throw new TrustError(
      registry.publicKey === undefined
        ? `the signing key's public key ${keyPublic} is not in registry.yaml`
        : `the signing key does not match registry.yaml's publicKey (key: ${keyPublic}, registry.yaml: ${registry.publicKey})`,
      {
        where: REGISTRY_FILE,
        hint: 'put `publicKey: <the public key>` in registry.yaml (or make a root with `granary root init` into trust/1.root.json), then curate with that key',
      },
    );
  }
}

/** registry.yaml `assetBase`, else the primary store's, else what the index already says. */
async function assetBaseFor(
  registry: RegistryConfig,
  options: CurateOptions,
  read: (path: string) => Promise<string | undefined>,
): Promise<string> {
  if (registry.assetBase !== undefined) return registry.assetBase;
  const primary = options.stores[0];
  if (primary !== undefined) return primary.assetBase;
  const previous = await read(CONFIG_FILE);
  if (previous !== undefined) return parseConfig(previous).assetBase;
  return '.';
}

function commitMessage(result: ReplayResult, snapshot: GenerationInfo): string {
  const list = (items: Array<{ name: string; version: string }>, max = 5) => {
    const shown = items.slice(0, max).map((i) => `${i.name}@${i.version}`);
    return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
  };
  const subject =
    result.published.length > 0
      ? `Publish ${list(result.published)}`
      : result.revised.length > 0
        ? `Revise ${list(result.revised)}`
        : result.unpublished.length > 0
          ? `Unpublish ${list(result.unpublished)}`
          : `Curate main up to ${snapshot.commit.slice(0, 12)}`;
  const body = [
    ...result.published.map((p) => `published ${p.name}@${p.version} sha256:${p.sha256}`),
    ...result.revised.map((r) => `revised ${r.name}@${r.version} to revision ${r.revision}`),
    ...result.unpublished.map((u) => `unpublished ${u.name}@${u.version}`),
    ...result.refused.map((r) => `refused ${r.file} (${r.commit.slice(0, 12)})`),
  ];
  return `${subject}\n\n${body.length > 0 ? `${body.join('\n')}\n\n` : ''}Curated main up to ${snapshot.commit}; snapshot version ${snapshot.version}.\n`;
}

/** The real packer, loaded only when none is injected. */
async function defaultPacker(): Promise<PackFunction> {
  return (await import('../pack/pack.js')).packVersion;
}
