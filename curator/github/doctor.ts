/**
 * `granary doctor`: read a registry repository's settings through GitHub's API and say what makes
 * publishing unsafe: merge methods, branch protection of the main branch, the required check.
 */
import { InputError } from '../../core/errors.js';
import { parseRegistryConfig, REGISTRY_FILE, type ReleaseLayout } from '../../core/registry-config.js';
import { githubError, statusOf } from './api-error.js';
import { readRepositoryFile } from './contents.js';
import type { GitHub, RepoRef } from './octokit.js';

/** The check every pull request must pass before it merges. */
export const REQUIRED_CHECK = 'granary/validate';

/** What doctor reads: the repository's merge settings and its main branch's protection (undefined: none). */
export interface RepositorySettings {
  defaultBranch: string;
  allowRebaseMerge: boolean;
  allowSquashMerge: boolean;
  allowMergeCommit: boolean;
  protection:
    | {
        strict: boolean;
        checks: string[];
        allowForcePushes: boolean;
        allowDeletions: boolean;
        reviews: boolean;
      }
    | undefined;
  /**
   * GitHub's immutable releases for the repository (undefined: off), with the release layout registry.yaml
   * on the default branch asks for (per-package when it says nothing or cannot be read).
   */
  immutableReleases?: { enforcedByOwner: boolean; releases: ReleaseLayout };
  /** The branch registry.yaml on the default branch names as the index (`index` when it cannot be read). */
  indexBranch: string;
  /** GitHub Pages for the repository: undefined when off; `branch` when it deploys a branch, `workflow` when a workflow deploys it. */
  pages?: { url: string | undefined; source: { branch: string; path: string } | 'workflow' };
}

/** One repository setting `diagnose` finds unsafe or worth changing, and the fix. */
export interface Finding {
  severity: 'unsafe' | 'advice';
  setting: string;
  message: string;
  fix: string;
}

/** The findings for `settings` (pure); none means the repository is set up as the operator guide says. */
export function diagnose(settings: RepositorySettings): Finding[] {
  const out: Finding[] = [];
  const branch = settings.defaultBranch;
  const where = `Settings → Branches → the rule for ${branch}`;
  if (!settings.allowSquashMerge && !settings.allowMergeCommit)
    out.push({
      severity: 'unsafe',
      setting: 'merge methods',
      message: 'neither squash nor merge commits are allowed: every pull request lands as rebased commits',
      fix: 'Settings → General → Pull Requests: allow squash merging (and/or merge commits)',
    });
  if (settings.allowRebaseMerge)
    out.push({
      severity: 'advice',
      setting: 'allow_rebase_merge',
      message:
        'rebase merging is allowed: curate takes the commits of one rebase merge together, but a squash or a merge commit records the pull request as one change',
      fix: 'Settings → General → Pull Requests: clear "Allow rebase merging"',
    });
  if (settings.immutableReleases?.releases === 'per-version')
    out.push({
      severity: 'advice',
      setting: 'immutable releases',
      message:
        'immutable releases are on, and registry.yaml has `releases: per-version`: each version gets its own release, complete when it appears, which they accept. An unpublished version keeps its tag for good',
      fix: 'nothing to change',
    });
  else if (settings.immutableReleases !== undefined)
    out.push({
      severity: 'unsafe',
      setting: 'immutable releases',
      message: `immutable releases are on${settings.immutableReleases.enforcedByOwner ? ' (enforced by the organization)' : ''}: if this repository is the registry's release store, a package's release takes its first version and refuses every later one, and curate stops there`,
      fix: `set \`releases: per-version\` in registry.yaml (one release per version, which immutable releases accept; see docs/release-stores.md), or publish the assets to a repository ${settings.immutableReleases.enforcedByOwner ? 'the policy leaves out' : 'without them'} (registry.yaml \`stores: [github:OWNER/REPO-assets]\`)${settings.immutableReleases.enforcedByOwner ? '' : ', or turn them off (Settings → General → Releases)'}`,
    });
  const index = settings.indexBranch;
  const pages = settings.pages;
  if (pages === undefined)
    out.push({
      severity: 'advice',
      setting: 'GitHub Pages',
      message: `the ${index} branch is not served on GitHub Pages: clients can read it from raw.githubusercontent.com (public repositories only) or from a clone`,
      fix: `Settings → Pages: "Deploy from a branch", branch ${index}, folder / (root); or run this command with --fix`,
    });
  else if (pages.source === 'workflow' || pages.source.branch !== index || pages.source.path !== '/')
    out.push({
      severity: 'advice',
      setting: 'GitHub Pages',
      message:
        pages.source === 'workflow'
          ? `GitHub Pages is deployed by a workflow: clients read the index there only if that workflow publishes the ${index} branch`
          : `GitHub Pages serves ${pages.source.branch}${pages.source.path}, not the ${index} branch: clients cannot read the index there`,
      fix: `Settings → Pages: "Deploy from a branch", branch ${index}, folder / (root), if the site is only for the index (--fix leaves an existing site alone)`,
    });
  const protection = settings.protection;
  if (protection === undefined) {
    out.push({
      severity: 'unsafe',
      setting: `branch protection of ${branch}`,
      message: `${branch} is not protected: anyone with write access can push unreviewed definitions, or force-push over the history the index was built from`,
      fix: `${where}: protect it, require the ${REQUIRED_CHECK} check, require branches to be up to date, and block force pushes`,
    });
    return out;
  }
  if (!protection.checks.includes(REQUIRED_CHECK))
    out.push({
      severity: 'unsafe',
      setting: 'required status checks',
      message: `${REQUIRED_CHECK} is not a required check of ${branch}: a pull request can merge while the gate refuses it`,
      fix: `${where}: "Require status checks to pass", add ${REQUIRED_CHECK}`,
    });
  if (!protection.strict)
    out.push({
      severity: 'unsafe',
      setting: 'required status checks: strict',
      message: `branches need not be up to date before merging: two pull requests checked against the same base can both merge (e.g. two strangers claiming one new name)`,
      fix: `${where}: "Require branches to be up to date before merging" (or use a merge queue)`,
    });
  if (protection.allowForcePushes)
    out.push({
      severity: 'unsafe',
      setting: 'allow_force_pushes',
      message: `force pushes to ${branch} are allowed: rewriting main makes curate stop until the history is restored`,
      fix: `${where}: clear "Allow force pushes"`,
    });
  if (protection.allowDeletions)
    out.push({
      severity: 'unsafe',
      setting: 'allow_deletions',
      message: `${branch} can be deleted`,
      fix: `${where}: clear "Allow deletions"`,
    });
  if (!protection.reviews)
    out.push({
      severity: 'advice',
      setting: 'required reviews',
      message:
        'no review is required: the gate checks ownership, but a human review catches what rules cannot (and CODEOWNERS on registry.yaml needs it)',
      fix: `${where}: "Require a pull request before merging" with at least one approval and code owner review`,
    });
  return out;
}

/** Read what `diagnose` needs: three requests. */
export async function readRepositorySettings(octokit: GitHub, target: RepoRef): Promise<RepositorySettings> {
  const name = `${target.owner}/${target.repo}`;
  const { data: repo } = await octokit.rest.repos
    .get({ owner: target.owner, repo: target.repo })
    .catch((error: unknown) => {
      throw githubError(error, `reading the settings of ${name}`, { repo: name, permission: 'metadata: read' });
    });
  const branch = repo.default_branch;
  let protection: RepositorySettings['protection'];
  try {
    const { data } = await octokit.rest.repos.getBranchProtection({ owner: target.owner, repo: target.repo, branch });
    protection = {
      strict: data.required_status_checks?.strict === true,
      checks: [
        ...(data.required_status_checks?.contexts ?? []),
        ...(data.required_status_checks?.checks ?? []).map((c) => c.context),
      ],
      allowForcePushes: data.allow_force_pushes?.enabled === true,
      allowDeletions: data.allow_deletions?.enabled === true,
      reviews: data.required_pull_request_reviews !== undefined,
    };
  } catch (error) {
    if (statusOf(error) !== 404)
      throw githubError(error, `reading the protection of ${name}@${branch}`, {
        repo: name,
        permission: 'administration: read',
      });
    protection = undefined;
  }
  const { releases, indexBranch } = await registryOf(octokit, target, branch);
  const pages = await pagesOf(octokit, target);
  let immutableReleases: RepositorySettings['immutableReleases'];
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/immutable-releases', {
      owner: target.owner,
      repo: target.repo,
    });
    const answer = data as { enabled?: boolean; enforced_by_owner?: boolean };
    if (answer.enabled === true) immutableReleases = { enforcedByOwner: answer.enforced_by_owner === true, releases };
  } catch (error) {
    // GitHub answers 404 when immutable releases are off.
    if (statusOf(error) !== 404)
      throw githubError(error, `reading the release settings of ${name}`, {
        repo: name,
        permission: 'administration: read',
      });
  }
  return {
    defaultBranch: branch,
    ...(immutableReleases === undefined ? {} : { immutableReleases }),
    indexBranch,
    ...(pages === undefined ? {} : { pages }),
    allowRebaseMerge: repo.allow_rebase_merge !== false,
    allowSquashMerge: repo.allow_squash_merge !== false,
    allowMergeCommit: repo.allow_merge_commit !== false,
    protection,
  };
}

/** What doctor needs of registry.yaml on `branch`: defaults when the file is absent or not valid. */
async function registryOf(
  octokit: GitHub,
  target: RepoRef,
  branch: string,
): Promise<{ releases: ReleaseLayout; indexBranch: string }> {
  const text = await readRepositoryFile(octokit, target, REGISTRY_FILE, branch);
  try {
    if (text !== undefined) return parseRegistryConfig(text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
  return { releases: 'per-package', indexBranch: 'index' };
}

/** The repository's GitHub Pages site (404: none). */
async function pagesOf(octokit: GitHub, target: RepoRef): Promise<RepositorySettings['pages']> {
  try {
    const { data } = await octokit.rest.repos.getPages({ owner: target.owner, repo: target.repo });
    return {
      url: data.html_url ?? undefined,
      source:
        data.build_type === 'workflow' || !data.source
          ? 'workflow'
          : { branch: data.source.branch, path: data.source.path ?? '/' },
    };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw githubError(error, `reading the GitHub Pages site of ${target.owner}/${target.repo}`, {
      repo: `${target.owner}/${target.repo}`,
      permission: 'pages: read',
    });
  }
}

/** What `fixSettings` changed, one line each. */
export type Fix = string;

/**
 * Make what `diagnose` calls unsafe safe, without undoing anything the operator set: merge methods (rebase
 * off, squash on when nothing else is), and the main branch's protection: created whole when there is none
 * (the check required, up to date, one approving and code-owner review, no force pushes or deletion), or,
 * when there is, the check added to its required checks and "up to date" turned on. What needs the whole
 * protection rewritten (force pushes, deletion, reviews on an existing rule) is left to do by hand.
 */
export async function fixSettings(octokit: GitHub, target: RepoRef, settings: RepositorySettings): Promise<Fix[]> {
  const name = `${target.owner}/${target.repo}`;
  const branch = settings.defaultBranch;
  const fixes: Fix[] = [];
  const failing = (what: string) => (error: unknown) => {
    throw githubError(error, `${what} of ${name}`, { repo: name, permission: 'administration: write' });
  };
  const neither = !settings.allowSquashMerge && !settings.allowMergeCommit;
  if (settings.allowRebaseMerge || neither) {
    await octokit.rest.repos
      .update({ ...target, allow_rebase_merge: false, ...(neither ? { allow_squash_merge: true } : {}) })
      .catch(failing('changing the merge methods'));
    fixes.push(`merge methods: rebase merging off${neither ? ', squash merging on' : ''}`);
  }
  const protection = settings.protection;
  if (protection === undefined) {
    await octokit.rest.repos
      .updateBranchProtection({
        ...target,
        branch,
        required_status_checks: { strict: true, contexts: [REQUIRED_CHECK] },
        enforce_admins: true,
        required_pull_request_reviews: { required_approving_review_count: 1, require_code_owner_reviews: true },
        restrictions: null,
        allow_force_pushes: false,
        allow_deletions: false,
      })
      .catch(failing(`protecting ${branch}`));
    fixes.push(
      `${branch} protected: ${REQUIRED_CHECK} required and up to date, one approving and code-owner review, no force pushes or deletion`,
    );
  } else if (!protection.checks.includes(REQUIRED_CHECK) || !protection.strict) {
    await octokit.rest.repos
      .updateStatusCheckProtection({
        ...target,
        branch,
        strict: true,
        contexts: [...new Set([...protection.checks, REQUIRED_CHECK])],
      })
      .catch(failing(`changing the required checks of ${branch}`));
    fixes.push(`${branch}: ${REQUIRED_CHECK} required, branches up to date before merging`);
  }
  // Serve the index branch as it is; a site the repository already has is left alone.
  if (settings.pages === undefined) {
    await octokit.rest.repos
      .createPagesSite({ ...target, build_type: 'legacy', source: { branch: settings.indexBranch, path: '/' } })
      .catch((error: unknown) => {
        throw githubError(error, `turning GitHub Pages on for ${name}`, {
          repo: name,
          permission: 'pages: write',
          hint: 'a token with `pages: write` and `administration: write`; GitHub Pages of a private repository needs a paid plan',
        });
      });
    fixes.push(`GitHub Pages: serving the ${settings.indexBranch} branch`);
  }
  return fixes;
}
