/** `index build` and `index check` on a local clone: the branch registry.yaml names, the stores given, a safe output directory. */
import { mkdir, readdir } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { loadPrivateKey } from '../../core/signing.js';
import { registryAt } from '../curate/curate.js';
import { readSigningKey } from '../curate/signing-key.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { REGISTRY_YAML } from '../registry/layout.js';
import { parseStoreSpec } from '../stores/spec.js';
import { checkAssets, checkIndex, type IndexCheckReport } from './check.js';
import { METADATA_DIR } from '../../core/tuf-layout.js';
import { writeIndexDirectory } from './index-from-lines.js';
import { rebuildIndex, type Difference, type RebuiltIndex } from './rebuild.js';

/** A registry clone whose index branch is checked or rebuilt. */
export interface IndexCloneOptions {
  repoDir: string;
  /** Default: registry.yaml `indexBranch` at HEAD. */
  indexBranch?: string;
  /** Store specs (relative to `cwd`) whose `.sha256` sidecars every recorded line is checked against. */
  stores?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Where `buildIndexInto` writes the rebuilt index, and the key it signs with. */
export interface BuildIntoOptions extends IndexCloneOptions {
  /** A new or empty directory, or an earlier build. */
  out: string;
  /** A PEM file relative to `cwd` to sign the rebuilt index with; without it, GRANARY_SIGNING_KEY of `env`. */
  signKey?: string;
}

/** The rebuilt index, and where it differs from what the stores hold. */
export interface BuiltIndex {
  rebuilt: RebuiltIndex;
  /** Unreadable recorded files and assets that do not match their store's sidecar. */
  differences: Difference[];
}

/** Rebuild the index of the clone into `options.out` and cross-check it with the stores. */
export async function buildIndexInto(options: BuildIntoOptions): Promise<BuiltIndex> {
  const key = await readSigningKey(options.signKey, options.env, options.cwd);
  if (key === undefined)
    throw new UsageError('index build signs the index it writes, but no signing key was given', {
      hint: 'pass --sign-key FILE or set GRANARY_SIGNING_KEY (the PEM text or a path to it)',
    });
  const rebuilt = await rebuildIndex({
    repoDir: options.repoDir,
    indexBranch: await indexBranchOf(options),
    signingKey: loadPrivateKey(key.pem, key.where),
  });
  await prepareOut(options.out);
  await writeIndexDirectory(options.out, rebuilt.files ?? []);
  const differences = [...rebuilt.unreadable];
  for (const spec of options.stores ?? [])
    differences.push(...(await checkAssets(rebuilt, parseStoreSpec(spec, { cwd: options.cwd, env: options.env }))));
  return { rebuilt, differences };
}

/** Compare the clone's index branch with a rebuild (and with the stores' sidecars). */
export async function checkIndexOfClone(options: IndexCloneOptions): Promise<IndexCheckReport> {
  const stores = (options.stores ?? []).map((spec) => parseStoreSpec(spec, { cwd: options.cwd, env: options.env }));
  return checkIndex({ repoDir: options.repoDir, indexBranch: await indexBranchOf(options), stores });
}

/** The branch given, else the one registry.yaml names at HEAD. */
async function indexBranchOf(options: IndexCloneOptions): Promise<string> {
  if (options.indexBranch !== undefined) return options.indexBranch;
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    const head = await git.resolveRef('HEAD');
    if (head === undefined)
      throw new UsageError('the registry repository has no commits yet', {
        where: options.repoDir,
        hint: `commit ${REGISTRY_YAML} on main first (granary init does)`,
      });
    return (await registryAt(git.objects, head)).indexBranch;
  } finally {
    git.close();
  }
}

/** The output directory must be new, empty, or an earlier build (it has a metadata folder). */
async function prepareOut(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => undefined);
  if (entries !== undefined && entries.length > 0 && !entries.includes(METADATA_DIR)) {
    throw new UsageError('the output directory is not empty and holds no earlier index build', {
      where: out,
      hint: 'choose a new --out directory',
    });
  }
  await mkdir(out, { recursive: true });
}
