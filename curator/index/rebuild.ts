/** `index build`: the index rebuilt from main's history plus the hashes recorded on the index branch, without packing. */
import { InputError, TrustError } from '../../core/errors.js';
import { parseIndexFile } from '../../core/index-line.js';
import type { KeyObject } from 'node:crypto';
import type { IndexConfig, IndexLine } from '../../schema/types.js';
import { registryAt } from '../curate/curate.js';
import { firstParentCommits } from '../git/history.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { replay, type Publisher, type Refusal } from './replay.js';
import { CONFIG_FILE, PACKAGES_FILE, parseConfig } from './index-files.js';
import { openIndexBranch, recordedRefusals } from './index-branch.js';
import { EMPTY_SOURCE, IndexState } from './index-state.js';
import { binNames } from '../../core/tuf/bins.js';
import {
  generationFiles,
  RETIRED_FILE,
  writeGeneration,
  type GenerationInfo,
  type Lifetimes,
} from './tuf/repository.js';
import { sha256Hex } from '../../core/hash.js';
import { consistentTargetPath, versionedMetadataPath } from '../../core/tuf-layout.js';
import { branchTrust, registryRoots } from './tuf/trust.js';

export interface RebuildOptions {
  repoDir: string;
  /** Default: registry.yaml's `indexBranch` at the recorded commit, else `index`. */
  indexBranch?: string;
  /** Sign the rebuilt index (a whole TUF repository); without it only the target files are rebuilt. */
  signingKey?: KeyObject;
  /** Signing time (default now). */
  now?: number;
  lifetimes?: Lifetimes;
}

/** A problem found while reading what the index branch recorded. */
export interface Difference {
  path: string;
  problem: string;
}

export interface RebuiltIndex {
  branch: string;
  /** The index branch commit the recorded hashes came from. */
  tip: string;
  /** Every rebuilt target file (path → bytes). */
  targets: Map<string, Buffer>;
  /** The whole rebuilt TUF repository (targets under their hashed names, and metadata), when a key was given. */
  files: Map<string, Buffer> | undefined;
  /** The generation the branch holds (its snapshot version, the main commit it curated). */
  info: GenerationInfo;
  /** Every recorded line, by `name@version` (for asset cross-checks). */
  recorded: Map<string, IndexLine>;
  /** The branch's target files (path → bytes), each checked against its bin. */
  branchTargets: Map<string, Buffer>;
  /** Every file the branch should hold: the current generation's and those retired.txt keeps for now. */
  liveFiles: string[];
  refused: Refusal[];
  /** Recorded files that could not be read as index files. */
  unreadable: Difference[];
  /** registry.yaml `sidecars` at the snapshot's commit: whether stores hold a `.sha256` beside each tarball. */
  sidecars: boolean;
}

/** Rebuild the index as of the commit its snapshot.json records; versions come from main, hashes from the branch. */
export async function rebuildIndex(options: RebuildOptions): Promise<RebuiltIndex> {
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  const branchName = options.indexBranch ?? 'index';
  try {
    const index = await openIndexBranch(
      git,
      branchName,
      branchTrust((commit) => registryAt(git.objects, commit), git.objects, undefined),
    );
    const generation = index.generation;
    if (index.tip === undefined || generation === undefined) {
      throw new InputError(`there is no index branch ${branchName} to take recorded hashes from`, {
        where: options.repoDir,
        hint: 'run `granary curate` to publish and create the index',
      });
    }
    const branchTargets = new Map<string, Buffer>();
    const plainDifferences: Difference[] = [];
    /** Every target the bins list, with its hash. */
    const listed = new Map<string, string>();
    for (const name of binNames(generation.layout)) {
      for (const [path, entry] of Object.entries((await generation.bin(name)).targets)) {
        listed.set(path, entry.hashes.sha256);
        let text: string | undefined;
        try {
          text = await index.source.read(path);
        } catch (error) {
          if (!(error instanceof TrustError)) throw error;
          plainDifferences.push({ path: error.where?.replace(/^[^:]*:/, '') ?? path, problem: error.message });
          continue;
        }
        if (text === undefined) continue;
        branchTargets.set(path, Buffer.from(text, 'utf8'));
        const plain = await index.reader.read(`${index.tip}:${path}`);
        if (plain === undefined || !plain.equals(Buffer.from(text, 'utf8')))
          plainDifferences.push({ path, problem: 'the plain copy differs from the target file its bin lists' });
      }
    }
    const recorded = new Map<string, IndexLine>();
    const unreadable: Difference[] = [...plainDifferences];
    for (const [path, bytes] of branchTargets) {
      if (path === CONFIG_FILE || path === PACKAGES_FILE) continue;
      try {
        for (const line of parseIndexFile(bytes.toString('utf8'), path))
          recorded.set(`${line.name}@${line.version}`, line);
      } catch (error) {
        unreadable.push({ path, problem: error instanceof Error ? error.message : String(error) });
      }
    }

    const info = generation.info;
    const commits = await firstParentCommits(git, undefined, info.commit);
    const state = new IndexState(EMPTY_SOURCE);
    const publisher: Publisher = {
      async publish(definition) {
        const line = recorded.get(`${definition.name}@${definition.version}`);
        if (line === undefined) {
          throw new InputError(
            `no recorded hash for ${definition.name}@${definition.version}: the index branch has no line for it`,
            {
              hint: 'it was refused when curated (see the index commit messages), or the index branch lost it: curate again to republish it',
            },
          );
        }
        return {
          sha256: line.sha256,
          integrity: line.integrity,
          size: line.size,
          contentHash: line.contentHash,
          commit: line.commit,
          asset: line.asset,
          urls: [],
        };
      },
      async unpublish() {},
    };
    const refusedWhole = new Set((await recordedRefusals(git, index.tip)).map((r) => `${r.commit} ${r.file}`));
    const result = await replay({
      git,
      reader: index.reader,
      state,
      commits,
      registry: undefined,
      publisher,
      // What curate's merge-time gate refused is not on main's side of the story: the index commits say it.
      gate: {
        judge: async (commit, changes) =>
          changes.length > 0 && changes.every((c) => refusedWhole.has(`${commit.id.slice(0, 12)} ${c.path}`))
            ? changes.map((c) => ({
                commit: commit.id,
                file: c.path,
                message: 'refused when curated (index commit message)',
              }))
            : [],
        advance: () => undefined,
      },
    });
    const recordedConfig = branchTargets.get(CONFIG_FILE);
    const assetBase = result.registry.assetBase ?? (recordedConfig === undefined ? '.' : safeAssetBase(recordedConfig));
    const config: IndexConfig = { format: 2, name: result.registry.name, assetBase };
    const targets = await state.render(config);
    let files: Map<string, Buffer> | undefined;
    if (options.signingKey !== undefined) {
      const roots = await registryRoots(git.objects, info.commit, result.registry, { signingKey: options.signingKey });
      // The rebuilt generation follows the branch's (higher versions), so clients that saw it accept the rebuild.
      const written = await writeGeneration({
        current: generation,
        changed: targets,
        removed: [...branchTargets.keys()].filter((path) => !targets.has(path)),
        resignAll: true,
        roots: roots.bytes,
        onlineKey: options.signingKey,
        commit: info.commit,
        createdAt: commits[commits.length - 1]?.time ?? info.createdAt,
        now: options.now ?? Date.now(),
        ...(options.lifetimes === undefined ? {} : { lifetimes: options.lifetimes }),
      });
      files = new Map();
      for (const [i, bytes] of roots.bytes.entries()) files.set(versionedMetadataPath('root', i + 1), bytes);
      for (const [path, bytes] of targets) {
        files.set(consistentTargetPath(path, sha256Hex(bytes)), bytes);
        files.set(path, bytes);
      }
      for (const [path, bytes] of written.changes) if (bytes !== null && path !== RETIRED_FILE) files.set(path, bytes);
    }
    const liveFiles = [
      ...generationFiles(generation, index.roots.length),
      ...[...listed].map(([path, sha256]) => consistentTargetPath(path, sha256)),
      ...listed.keys(),
      ...generation.retired.keys(),
      ...(generation.retired.size > 0 ? [RETIRED_FILE] : []),
    ];
    return {
      branch: branchName,
      tip: index.tip,
      targets,
      liveFiles,
      files,
      info,
      recorded,
      branchTargets,
      refused: result.refused,
      unreadable,
      sidecars: result.registry.sidecars,
    };
  } finally {
    git.close();
  }
}

function safeAssetBase(bytes: Buffer): string {
  try {
    return parseConfig(bytes.toString('utf8')).assetBase;
  } catch {
    return '.';
  }
}
