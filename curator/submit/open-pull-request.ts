/** Open the registry pull request that adds one definition: a branch in the registry (or the author's fork), the file, the PR. */
import { InputError, UsageError } from '../../core/errors.js';
import { assetStem } from '../../core/names.js';
import { githubError, statusOf } from '../github/api-error.js';
import type { GitHub, RepoRef } from '../github/octokit.js';
import { readRegistryRepository, type RegistryRepository } from './github-registry.js';

export interface ProposedFile {
  name: string;
  version: string;
  path: string;
  content: string;
  /** Who proposes it and how, as the pull request's last paragraph (default: opened with `granary submit`). */
  origin?: string;
}

export interface OpenedPullRequest {
  url: string;
  number: number;
  branch: string;
  /** Where the branch was pushed: the registry itself or the author's fork. */
  headRepo: string;
  forked: boolean;
}

export interface OpenPullRequestOptions {
  /** Waits between polls while GitHub creates a fork (default: real time). */
  sleep?: (ms: number) => Promise<void>;
  forkPolls?: number;
  /** The registry's default branch and the token's push permission, when the caller has read them already. */
  repository?: RegistryRepository;
}

/** `granary/<stem>-<version>`: one branch per version. */
export function branchFor(name: string, version: string): string {
  return `granary/${assetStem(name)}-${version}`;
}

/** Title and body of the pull request. */
export function pullRequestText(file: ProposedFile): { title: string; body: string } {
  return {
    title: `Publish ${file.name}@${file.version}`,
    body: [
      `Adds \`${file.path}\`:`,
      '',
      '```yaml',
      file.content.trimEnd(),
      '```',
      '',
      `${file.origin ?? 'Opened with `granary submit`.'} The granary/validate check reports any problem on its line; once merged, the curator publishes the version.`,
    ].join('\n'),
  };
}

/** Open the PR; fails before writing anything if the version file already exists. */
export async function openPullRequest(
  github: GitHub,
  registry: RepoRef,
  file: ProposedFile,
  options: OpenPullRequestOptions = {},
): Promise<OpenedPullRequest> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const full = `${registry.owner}/${registry.repo}`;
  const { base, canPush } = options.repository ?? (await readRegistryRepository(github, registry));

  try {
    await github.rest.repos.getContent({ ...registry, path: file.path, ref: base });
    throw new InputError(`${file.path} already exists in ${full}: ${file.name}@${file.version} is taken`, {
      where: `${full}:${file.path}`,
      hint: 'published versions are never replaced: tag a new version and submit that',
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (statusOf(error) !== 404) throw githubError(error, `checking ${file.path} in ${full}`, { repo: full });
  }

  const baseSha = (
    await call(
      () => github.rest.git.getRef({ ...registry, ref: `heads/${base}` }),
      `reading the ${base} branch of ${full}`,
    )
  ).data.object.sha;
  let target: RepoRef = registry;
  if (!canPush) {
    const fork = await call(
      () => github.rest.repos.createFork({ ...registry, default_branch_only: true }),
      `forking ${full}`,
      'the token needs permission to create repositories (a classic token with `public_repo`, or a fine-grained token for your account)',
    );
    target = { owner: fork.data.owner.login, repo: fork.data.name };
    await waitForFork(github, target, options.forkPolls ?? 10, sleep);
  }

  const branch = branchFor(file.name, file.version);
  try {
    await github.rest.git.createRef({ ...target, ref: `refs/heads/${branch}`, sha: baseSha });
  } catch (error) {
    if (statusOf(error) === 422) {
      throw new UsageError(`the branch ${branch} already exists in ${target.owner}/${target.repo}`, {
        where: `${target.owner}/${target.repo}`,
        hint: 'a submission of this version is already open or was abandoned: find its pull request, or delete the branch and run submit again',
      });
    }
    throw githubError(error, `creating the branch ${branch} in ${target.owner}/${target.repo}`, {
      repo: `${target.owner}/${target.repo}`,
    });
  }
  await call(
    () =>
      github.rest.repos.createOrUpdateFileContents({
        ...target,
        path: file.path,
        branch,
        message: `Publish ${file.name}@${file.version}`,
        content: Buffer.from(file.content, 'utf8').toString('base64'),
      }),
    `writing ${file.path} on ${branch}`,
  );
  const text = pullRequestText(file);
  const pr = await call(
    () =>
      github.rest.pulls.create({
        ...registry,
        title: text.title,
        body: text.body,
        base,
        head: target === registry ? branch : `${target.owner}:${branch}`,
        maintainer_can_modify: true,
      }),
    `opening the pull request in ${full}`,
  );
  return {
    url: pr.data.html_url,
    number: pr.data.number,
    branch,
    headRepo: `${target.owner}/${target.repo}`,
    forked: target !== registry,
  };
}

/** GitHub creates forks in the background: wait until the fork answers. */
async function waitForFork(
  github: GitHub,
  fork: RepoRef,
  polls: number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < polls; i++) {
    try {
      await github.rest.repos.get({ ...fork });
      return;
    } catch (error) {
      if (statusOf(error) !== 404)
        throw githubError(error, `reading the fork ${fork.owner}/${fork.repo}`, {
          repo: `${fork.owner}/${fork.repo}`,
        });
    }
    await sleep(Math.min(1000 * 2 ** i, 10_000));
  }
  throw new UsageError(`the fork ${fork.owner}/${fork.repo} did not become ready`, {
    hint: 'GitHub is still creating it: run granary submit again in a minute',
  });
}

/** A hint about the token fits GitHub refusing it (401, 403); other answers and network failures keep their own. */
export function tokenHint(error: unknown, hint: string): { hint?: string } {
  const status = statusOf(error);
  return status === 401 || status === 403 ? { hint } : {};
}

async function call<T>(fn: () => Promise<T>, doing: string, hint?: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw githubError(error, doing, hint === undefined ? {} : tokenHint(error, hint));
  }
}
