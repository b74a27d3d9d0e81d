/** `index build`: the index rebuilt from main's history plus the hashes recorded on the index branch, without packing. */
import { InputError } from '../../core/errors.js';
import { INDEX_META_FILES } from '../../core/index-path.js';
import { parseIndexFile } from '../../core/index-line.js';
import type { KeyObject } from 'node:crypto';
import type { IndexConfig, IndexLine, Snapshot } from '../../schema/types.js';
import { firstParentCommits } from '../git/history.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { replay, type Publisher, type Refusal } from './replay.js';
import { CONFIG_FILE, parseConfig, SIGNATURE_FILE, SNAPSHOT_FILE } from './index-files.js';
import { listIndexFiles, openIndexBranch, recordedRefusals } from './index-branch.js';
import { IndexState } from './index-state.js';
import { signedSnapshot } from './signed-snapshot.js';

export interface RebuildOptions {
  repoDir: string;
  /** Default: registry.yaml's `indexBranch` at the recorded commit, else `index`. */
  indexBranch?: string;
  /** Sign the rebuilt snapshot.json; otherwise the branch's signature is kept when the bytes are identical. */
  signingKey?: KeyObject;
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
  /** Every rebuilt file, snapshot.json (and its signature, when there is one) included. */
  files: Map<string, Buffer>;
  snapshot: Snapshot;
  /** Every recorded line, by `name@version` (for asset cross-checks). */
  recorded: Map<string, IndexLine>;
  /** The branch's own files (path → bytes), as read. */
  branchFiles: Map<string, Buffer>;
  refused: Refusal[];
  /** Recorded files that could not be read as index files. */
  unreadable: Difference[];
  publicKey: string | undefined;
  /** registry.yaml `sidecars` at the snapshot's commit: whether stores hold a `.sha256` beside each tarball. */
  sidecars: boolean;
}

/** Rebuild the index as of the commit its snapshot.json records; versions come from main, hashes from the branch. */
export async function rebuildIndex(options: RebuildOptions): Promise<RebuiltIndex> {
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  const branchName = options.indexBranch ?? 'index';
  try {
    const index = await openIndexBranch(git, branchName);
    if (index.tip === undefined || index.snapshot === undefined) {
      throw new InputError(`there is no index branch ${branchName} to take recorded hashes from`, {
        where: options.repoDir,
        hint: 'run `granary curate` to publish and create the index',
      });
    }
    const branchFiles = new Map<string, Buffer>();
    for (const [path, blob] of await listIndexFiles(git, index.tip)) {
      const bytes = await index.reader.read(blob);
      if (bytes !== undefined) branchFiles.set(path, bytes);
    }
    const recorded = new Map<string, IndexLine>();
    const unreadable: Difference[] = [];
    for (const [path, bytes] of branchFiles) {
      if ((INDEX_META_FILES as readonly string[]).includes(path)) continue;
      try {
        for (const line of parseIndexFile(bytes.toString('utf8'), path))
          recorded.set(`${line.name}@${line.version}`, line);
      } catch (error) {
        unreadable.push({ path, problem: error instanceof Error ? error.message : String(error) });
      }
    }

    const snapshot0 = index.snapshot;
    const commits = await firstParentCommits(git, undefined, snapshot0.commit);
    const state = new IndexState();
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
    const recordedConfig = branchFiles.get(CONFIG_FILE);
    const assetBase = result.registry.assetBase ?? (recordedConfig === undefined ? '.' : safeAssetBase(recordedConfig));
    const config: IndexConfig = { format: 1, name: result.registry.name, assetBase };
    if (result.registry.publicKey !== undefined) config.publicKey = result.registry.publicKey;
    const rendered = await state.render(config);
    const { snapshot, bytes, signature } = signedSnapshot(
      {
        registry: result.registry.name,
        version: snapshot0.version,
        commit: snapshot0.commit,
        createdAt: commits[commits.length - 1]?.time ?? snapshot0.createdAt,
        files: rendered.files,
      },
      options.signingKey,
    );
    const files = new Map(rendered.changed);
    files.set(SNAPSHOT_FILE, bytes);
    const recordedSig = branchFiles.get(SIGNATURE_FILE);
    if (signature !== undefined) files.set(SIGNATURE_FILE, signature);
    else if (recordedSig !== undefined && branchFiles.get(SNAPSHOT_FILE)?.equals(bytes))
      files.set(SIGNATURE_FILE, recordedSig);
    return {
      branch: branchName,
      tip: index.tip,
      files,
      snapshot,
      recorded,
      branchFiles,
      refused: result.refused,
      unreadable,
      publicKey: result.registry.publicKey,
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
