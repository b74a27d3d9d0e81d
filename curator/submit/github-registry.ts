/** The registry repository on GitHub as submit reads it: its default branch, whether the token may push, its files. */
import { githubError, statusOf } from '../github/api-error.js';
import { readRepositoryFile } from '../github/contents.js';
import type { GitHub, RepoRef } from '../github/octokit.js';
import type { RegistryFiles } from './previous-version.js';

export interface RegistryRepository {
  /** The default branch: where pull requests go and where the registry's files are read. */
  base: string;
  /** Whether the token may push branches to it (else submit works from a fork). */
  canPush: boolean;
}

/** One `GET /repos/{owner}/{repo}`. */
export async function readRegistryRepository(github: GitHub, registry: RepoRef): Promise<RegistryRepository> {
  const full = `${registry.owner}/${registry.repo}`;
  try {
    const { data } = await github.rest.repos.get({ ...registry });
    return { base: data.default_branch, canPush: data.permissions?.push === true };
  } catch (error) {
    throw githubError(error, `reading ${full}`, { repo: full });
  }
}

/** The registry's files on `base`, through the contents API: one folder listing, one file read. */
export function githubRegistryFiles(github: GitHub, registry: RepoRef, base: string): RegistryFiles {
  const full = `${registry.owner}/${registry.repo}`;
  return {
    label: full,
    async list(dir) {
      let data: unknown;
      try {
        ({ data } = await github.rest.repos.getContent({ ...registry, path: dir, ref: base }));
      } catch (error) {
        if (statusOf(error) === 404) return [];
        throw githubError(error, `listing ${dir} on ${base} of ${full}`, { repo: full, permission: 'contents: read' });
      }
      // A folder answers with its entries; anything else at that path holds no versions.
      if (!Array.isArray(data)) return [];
      return data.filter((e: { type?: unknown }) => e.type === 'file').map((e: { name: string }) => e.name);
    },
    read: (path) => readRepositoryFile(github, registry, path, base),
  };
}
