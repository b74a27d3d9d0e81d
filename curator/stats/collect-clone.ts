/** `granary stats collect` on a local clone: the stores given, else registry.yaml's, then one collection. */
import { UsageError } from '../../core/errors.js';
import { registryAt } from '../curate/curate.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { REGISTRY_YAML } from '../registry/layout.js';
import { parseStoreSpec } from '../stores/spec.js';
import { collectDownloadStats, type CollectReport } from './collect.js';

export interface CollectCloneOptions {
  repoDir: string;
  /** Store specs (`github:OWNER/REPO`, `fs:DIR`) relative to `cwd`; none: registry.yaml `stores` at HEAD, relative to the clone. */
  stores?: string[];
  indexBranch?: string;
  force?: boolean;
  now?: number;
  cwd: string;
  /** GITHUB_TOKEN / GH_TOKEN and GITHUB_API_URL for `github:` stores. */
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Collect the download counts of the clone's registry into its index branch. */
export async function collectStatsOfClone(options: CollectCloneOptions): Promise<CollectReport> {
  const given = options.stores !== undefined && options.stores.length > 0;
  const specs = given ? options.stores! : await registryStores(options.repoDir);
  const base = given ? options.cwd : options.repoDir;
  return collectDownloadStats({
    repoDir: options.repoDir,
    stores: specs.map((spec) => parseStoreSpec(spec, { cwd: base, env: options.env })),
    ...(options.indexBranch === undefined ? {} : { indexBranch: options.indexBranch }),
    ...(options.force === undefined ? {} : { force: options.force }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
}

async function registryStores(repoDir: string): Promise<string[]> {
  const git = new Git(repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    const head = await git.resolveRef('HEAD');
    if (head === undefined)
      throw new UsageError('the registry repository has no commits', {
        where: repoDir,
        hint: `commit ${REGISTRY_YAML} on main first (granary init does)`,
      });
    const { stores } = await registryAt(git.objects, head);
    if (stores.length === 0)
      throw new UsageError(
        `no release store to count downloads in: pass --store or list \`stores:\` in ${REGISTRY_YAML}`,
        {
          where: `${repoDir}/${REGISTRY_YAML}`,
          hint: 'e.g. --store github:OWNER/REPO (the repository whose releases hold the tarballs)',
        },
      );
    return stores;
  } finally {
    git.close();
  }
}
