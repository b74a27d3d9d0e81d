/** `granary curate` on a local clone: the release stores and the signing key it is given or names, then one run. */
import { UsageError } from '../../core/errors.js';
import { isBranchName } from '../../core/git/ref-names.js';
import type { GitRunner } from '../../core/git/run.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { REGISTRY_YAML } from '../registry/layout.js';
import { createPacer } from '../github/pacer.js';
import { parseStoreSpec } from '../stores/spec.js';
import type { ReleaseStore } from '../stores/store.js';
import { octokitFromEnv, parseRepoRef } from '../github/octokit.js';
import { githubPullRequests } from '../github/merged-pull-request.js';
import { checkLogins } from '../validate/roles.js';
import { curate, registryAt } from './curate.js';
import { curationPlan, type CurationPlan } from './plan.js';
import { fixedRecords, type PullRequestRecords } from './merge-gate.js';
import { readSigningKey } from './signing-key.js';
import type { CurateReport } from './types.js';

export interface CurateCloneOptions {
  repoDir: string;
  /** Store specs (`fs:DIR`, `github:OWNER/REPO`) relative to `cwd`; none: registry.yaml `stores`, relative to the clone. */
  stores?: string[];
  indexBranch?: string;
  /** The branch that is curated (default `main`): never the work tree's HEAD, which may be any branch. */
  mainBranch?: string;
  /** A PEM file relative to `cwd`; without it, GRANARY_SIGNING_KEY of `env`. */
  signKey?: string;
  dryRun?: boolean;
  /** Count what a run would do and how long it takes at the registry's pace; nothing is packed or sent. */
  plan?: boolean;
  /** The pull request being curated, given by hand: its author, approvers, and whether a trustee approved. */
  pullRequest?: { author: string; approvedBy?: string[]; trustee?: boolean };
  /** Look up each change's pull request in this GitHub repository (`OWNER/REPO`, with GITHUB_TOKEN of `env`). */
  github?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Runs git in the clone (default: real processes); the command line passes one that traces each call with --verbose. */
  runner?: GitRunner;
}

/** Curate the clone at `repoDir` up to the tip of its main branch (with `plan`, only count). */
export async function curateClone(options: CurateCloneOptions): Promise<CurateReport & { plan?: CurationPlan }> {
  const key = await readSigningKey(options.signKey, options.env, options.cwd);
  // One repository for the command: the stores' registry.yaml and the run read through the same object reader.
  const git = new Git(options.repoDir, {
    hint: REGISTRY_REPO_HINT,
    ...(options.runner === undefined ? {} : { runner: options.runner }),
  });
  try {
    const branch = options.mainBranch ?? 'main';
    const main = await mainTip(git, branch);
    if (options.plan === true) {
      const registry = await registryAt(git.objects, main);
      const report = await curate({
        repoDir: options.repoDir,
        git,
        head: main,
        mainBranch: branch,
        stores: [],
        plan: true,
        ...(options.indexBranch !== undefined ? { indexBranch: options.indexBranch } : {}),
        ...pullRequestsOf(options),
        ...(options.log ? { log: options.log } : {}),
      });
      const specs = options.stores !== undefined && options.stores.length > 0 ? options.stores : registry.stores;
      return { ...report, plan: await curationPlan(report, specs, registry) };
    }
    return await curate({
      repoDir: options.repoDir,
      git,
      head: main,
      mainBranch: branch,
      stores: await storesFor(options, git, main),
      ...(options.indexBranch !== undefined ? { indexBranch: options.indexBranch } : {}),
      ...(key !== undefined ? { signingKeyPem: key.pem } : {}),
      dryRun: options.dryRun === true,
      ...pullRequestsOf(options),
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    git.close();
  }
}

/** Where the author and approvers of each change come from: given by hand for one change, or GitHub's record. */
function pullRequestsOf(options: CurateCloneOptions): { pullRequests?: PullRequestRecords } {
  const { pullRequest, github } = options;
  if (pullRequest !== undefined && github !== undefined)
    throw new UsageError('--author and --github both say who made the change: pass one', {
      hint: '--github OWNER/REPO looks up each merged pull request; --author describes a single one',
    });
  if (pullRequest !== undefined) {
    checkLogins([pullRequest.author, ...(pullRequest.approvedBy ?? [])]);
    return {
      pullRequests: fixedRecords({
        author: pullRequest.author,
        approvers: pullRequest.approvedBy ?? [],
        trusteeApproved: pullRequest.trustee === true,
      }),
    };
  }
  if (github === undefined) return {};
  const ref = parseRepoRef(github, '--github');
  const octokit = octokitFromEnv(options.env, 'granary-curate');
  if (octokit === undefined)
    throw new UsageError('--github needs a token to read pull requests and reviews', {
      hint: 'set GITHUB_TOKEN (in Actions: the workflow token with `pull-requests: read`)',
    });
  return { pullRequests: githubPullRequests(octokit, ref) };
}

/** The stores given (relative to the working directory), else registry.yaml `stores` on main (relative to the clone). */
async function storesFor(options: CurateCloneOptions, git: Git, main: string): Promise<ReleaseStore[]> {
  const registry = await registryAt(git.objects, main);
  const { releases } = registry;
  // One pacer for the run: every github: store's writes count against the same GitHub account's limits.
  const pacer = createPacer({
    perMinute: registry.limits.githubWritesPerMinute,
    perHour: registry.limits.githubWritesPerHour,
    ...(options.log ? { log: options.log } : {}),
  });
  if (options.stores !== undefined && options.stores.length > 0)
    return options.stores.map((spec) => parseStoreSpec(spec, { cwd: options.cwd, env: options.env, releases, pacer }));
  if (registry.stores.length === 0 && !options.dryRun) {
    throw new UsageError(`no release store: pass --store or list \`stores:\` in ${REGISTRY_YAML}`, {
      where: `${git.dir}/${REGISTRY_YAML}`,
      hint: 'e.g. --store fs:./releases or --store github:OWNER/REPO',
    });
  }
  return registry.stores.map((spec) => parseStoreSpec(spec, { cwd: git.dir, env: options.env, releases, pacer }));
}

/** The commit at the tip of `branch`, however the work tree is checked out. */
async function mainTip(git: Git, branch: string): Promise<string> {
  const tip = isBranchName(branch) ? await git.resolveRef(`refs/heads/${branch}`) : undefined;
  if (tip === undefined)
    throw new UsageError(`the registry clone has no branch ${JSON.stringify(branch.slice(0, 80))} to curate`, {
      where: git.dir,
      hint: `fetch it (git fetch origin ${branch}:${branch}), or name the registry's main branch with --main-branch; ${REGISTRY_YAML} must be committed there (granary init does)`,
    });
  return tip;
}
