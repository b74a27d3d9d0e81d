/** `curate`: publish what merged on main since the last index commit, and commit the new signed index. */
import { GitError, InputError, TrustError, UsageError } from '../../core/errors.js';
import { REGISTRY_FILE, type RegistryConfig } from '../../core/registry-config.js';
import { loadPrivateKey, publicKeyOf } from '../../core/signing.js';
import type { IndexConfig, Snapshot } from '../../schema/types.js';
import { CONFIG_FILE, parseConfig, SIGNATURE_FILE, SNAPSHOT_FILE } from '../index/index-files.js';
import { commitIndex, openIndexBranch, verifyIndexBranch } from '../index/index-branch.js';
import { IndexState } from '../index/index-state.js';
import { signedSnapshot } from '../index/signed-snapshot.js';
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
    checkSigningKey(
      headRegistry,
      signingKey === undefined ? undefined : publicKeyOf(signingKey),
      options.dryRun === true,
    );
    if (!options.dryRun && options.plan !== true && options.stores.length === 0) {
      throw new UsageError('no release store to publish to', {
        hint: 'pass --store fs:DIR or --store github:OWNER/REPO, or list `stores:` in registry.yaml',
      });
    }
    const index = await openIndexBranch(git, options.indexBranch ?? headRegistry.indexBranch);
    const from = index.snapshot?.commit;
    if (from !== undefined) await verifyIndexBranch(index, (await registryAt(index.reader, from)).publicKey);
    const commits = await firstParentCommits(git, from, head);
    const empty: CurateReport = {
      published: [],
      revised: [],
      unpublished: [],
      refused: [],
      indexCommit: undefined,
      snapshotVersion: index.snapshot?.version,
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
      for (const p of result.published) if (index.source.files[indexPath(p.name)] === undefined) first.add(p.name);
      return { ...report, firstPublications: [...first].sort() };
    }
    if (!result.relevant) {
      log('no registry files changed: the index stays as it is');
      return { ...report, curatedCommit: from ?? head };
    }

    const config: IndexConfig = {
      format: 1,
      name: result.registry.name,
      assetBase: await assetBaseFor(result.registry, options, index.source.read),
    };
    if (result.registry.publicKey !== undefined) config.publicKey = result.registry.publicKey;
    const rendered = await state.render(config);
    const { snapshot, bytes, signature } = signedSnapshot(
      {
        registry: result.registry.name,
        version: (index.snapshot?.version ?? 0) + 1,
        commit: last.id,
        createdAt: last.time,
        files: rendered.files,
      },
      signingKey,
    );
    const changes = new Map<string, Buffer | null>(rendered.changed);
    changes.set(SNAPSHOT_FILE, bytes);
    // An unsigned snapshot must not keep the signature of an earlier one.
    if (signature !== undefined || index.tip !== undefined) changes.set(SIGNATURE_FILE, signature ?? null);

    if (options.dryRun) {
      log(`dry run: would commit ${changes.size} index file(s) as snapshot version ${snapshot.version}`);
      return { ...report, snapshotVersion: snapshot.version, changedFiles: changes.size };
    }
    const committed = await commitIndex(git, {
      branch: index.branch,
      parent: index.tip,
      changes,
      message: commitMessage(result, snapshot),
      date: last.time,
      fault: options.faults,
    });
    log(
      `index commit ${committed.commit.slice(0, 12)}: snapshot version ${snapshot.version}, ${committed.blobs} file(s) written`,
    );
    return {
      ...report,
      indexCommit: committed.commit,
      snapshotVersion: snapshot.version,
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

/** A key given must be the one registry.yaml names; a registry with a key must be signed. */
export function checkSigningKey(registry: RegistryConfig, keyPublic: string | undefined, dryRun: boolean): void {
  if (keyPublic !== undefined && registry.publicKey !== keyPublic) {
    throw new TrustError(
      registry.publicKey === undefined
        ? `the signing key's public key ${keyPublic} is not in registry.yaml`
        : `the signing key does not match registry.yaml's publicKey (key: ${keyPublic}, registry.yaml: ${registry.publicKey})`,
      {
        where: REGISTRY_FILE,
        hint: 'rotate the key in registry.yaml first (merge `publicKey: <the new key>` to main), then curate with the new key',
      },
    );
  }
  if (keyPublic === undefined && registry.publicKey !== undefined && !dryRun) {
    throw new UsageError(
      'registry.yaml has a publicKey, so the snapshot must be signed, but no signing key was given',
      {
        where: REGISTRY_FILE,
        hint: 'pass --sign-key FILE or set GRANARY_SIGNING_KEY (the PEM text or a path to it)',
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

function commitMessage(result: ReplayResult, snapshot: Snapshot): string {
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
