/** One file of a repository at a ref, as text, through the contents API (raw: files up to 100 MB). */
import { githubError, statusOf } from './api-error.js';
import type { GitHub, RepoRef } from './octokit.js';

/** The text of `path` at `ref`, or undefined when there is no such file (404). */
export async function readRepositoryFile(
  github: GitHub,
  target: RepoRef,
  path: string,
  ref: string,
  permission = 'contents: read',
): Promise<string | undefined> {
  let data: unknown;
  try {
    ({ data } = await github.rest.repos.getContent({ ...target, path, ref, mediaType: { format: 'raw' } }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw githubError(error, `reading ${path} at ${ref} of ${target.owner}/${target.repo}`, {
      repo: `${target.owner}/${target.repo}`,
      permission,
    });
  }
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  // The JSON form, should a proxy drop the raw media type: base64 content.
  return Buffer.from(String((data as { content?: string }).content ?? ''), 'base64').toString('utf8');
}
