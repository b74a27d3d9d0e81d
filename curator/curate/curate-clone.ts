/** `granary curate` on a local clone: the release stores and the signing key it is given or names, then one run. */
import { UsageError } from '../../core/errors.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { REGISTRY_YAML } from '../registry/layout.js';
import { parseStoreSpec } from '../stores/spec.js';
import type { ReleaseStore } from '../stores/store.js';
import { curate, registryAt } from './curate.js';
import { readSigningKey } from './signing-key.js';
import type { CurateReport } from './types.js';

export interface CurateCloneOptions {
  repoDir: string;
  /** Store specs (`fs:DIR`, `github:OWNER/REPO`) relative to `cwd`; none: registry.yaml `stores`, relative to the clone. */
  stores?: string[];
  indexBranch?: string;
  /** A PEM file relative to `cwd`; without it, GRANARY_SIGNING_KEY of `env`. */
  signKey?: string;
  dryRun?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Curate the clone at `repoDir` up to its HEAD. */
export async function curateClone(options: CurateCloneOptions): Promise<CurateReport> {
  const key = await readSigningKey(options.signKey, options.env, options.cwd);
  // One repository for the command: the stores' registry.yaml and the run read through the same object reader.
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    return await curate({
      repoDir: options.repoDir,
      git,
      stores: await storesFor(options, git),
      ...(options.indexBranch !== undefined ? { indexBranch: options.indexBranch } : {}),
      ...(key !== undefined ? { signingKeyPem: key.pem } : {}),
      dryRun: options.dryRun === true,
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    git.close();
  }
}

/** The stores given (relative to the working directory), else registry.yaml `stores` at HEAD (relative to the clone). */
async function storesFor(options: CurateCloneOptions, git: Git): Promise<ReleaseStore[]> {
  if (options.stores !== undefined && options.stores.length > 0)
    return options.stores.map((spec) => parseStoreSpec(spec, { cwd: options.cwd, env: options.env }));
  const head = await git.resolveRef('HEAD');
  if (head === undefined)
    throw new UsageError('the registry repository has no commits yet', {
      where: git.dir,
      hint: `commit ${REGISTRY_YAML} on main first (granary init does)`,
    });
  const registry = await registryAt(git.objects, head);
  if (registry.stores.length === 0 && !options.dryRun) {
    throw new UsageError(`no release store: pass --store or list \`stores:\` in ${REGISTRY_YAML}`, {
      where: `${git.dir}/${REGISTRY_YAML}`,
      hint: 'e.g. --store fs:./releases or --store github:OWNER/REPO',
    });
  }
  return registry.stores.map((spec) => parseStoreSpec(spec, { cwd: git.dir, env: options.env }));
}
