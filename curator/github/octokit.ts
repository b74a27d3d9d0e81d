/** The slice of an Octokit client this folder uses: Probot's `context.octokit` and `@octokit/rest` both fit. */
import type { Octokit } from '@octokit/rest';

export type GitHub = Pick<Octokit, 'rest' | 'paginate' | 'request'>;

/** A repository on GitHub. */
export interface RepoRef {
  owner: string;
  repo: string;
}
