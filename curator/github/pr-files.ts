/** A pull request's changed files, as the validate contract wants them (renames split into a deletion and an addition). */
import { LimitError } from '../../core/errors.js';
import type { ChangedFile } from '../registry/types.js';
import { githubError } from './api-error.js';
import type { ApiTree } from './api-tree.js';
import type { GitHub, RepoRef } from './octokit.js';

/** GitHub lists at most 3000 files of a pull request; a PR that large is refused rather than judged on part of it. */
export const MAX_PR_FILES = 3000;

export interface PrFile {
  filename: string;
  status: string;
  previous_filename?: string | undefined;
  /** The file's blob SHA at the pull request's current head. */
  sha?: string | null | undefined;
}

/** Map GitHub's file statuses onto added/modified/deleted; kinds come from the trees. */
export async function changedFilesOf(
  files: PrFile[],
  base: Pick<ApiTree, 'entry'>,
  head: Pick<ApiTree, 'entry'>,
): Promise<ChangedFile[]> {
  const out: ChangedFile[] = [];
  const kindAt = async (tree: Pick<ApiTree, 'entry'>, path: string) => (await tree.entry(path))?.kind ?? 'file';
  for (const f of files) {
    switch (f.status) {
      case 'added':
      case 'copied':
        out.push({ path: f.filename, status: 'added', kind: await kindAt(head, f.filename) });
        break;
      case 'removed':
        out.push({ path: f.filename, status: 'deleted', kind: await kindAt(base, f.filename) });
        break;
      case 'renamed':
        if (f.previous_filename)
          out.push({ path: f.previous_filename, status: 'deleted', kind: await kindAt(base, f.previous_filename) });
        out.push({ path: f.filename, status: 'added', kind: await kindAt(head, f.filename) });
        break;
      case 'unchanged':
        break;
      default:
        // 'modified' and 'changed' (mode only) are both edits of an existing path.
        out.push({ path: f.filename, status: 'modified', kind: await kindAt(head, f.filename) });
    }
  }
  return out;
}

/** List the files of pull request `number`, all pages. */
export async function listPullRequestFiles(github: GitHub, ref: RepoRef, number: number): Promise<PrFile[]> {
  let files: PrFile[];
  try {
    files = await github.paginate(github.rest.pulls.listFiles, { ...ref, pull_number: number, per_page: 100 });
  } catch (error) {
    throw githubError(error, `listing the files of ${ref.owner}/${ref.repo}#${number}`, {
      repo: `${ref.owner}/${ref.repo}`,
    });
  }
  if (files.length >= MAX_PR_FILES) {
    throw new LimitError(
      `pull request #${number} changes ${files.length} or more files; GitHub lists at most ${MAX_PR_FILES}`,
      { where: `${ref.owner}/${ref.repo}#${number}`, hint: 'split the change into smaller pull requests' },
    );
  }
  return files;
}

/** One pull request (its author, head and association), e.g. the one a merge queue group tests. */
export async function getPullRequest(github: GitHub, ref: RepoRef, number: number) {
  try {
    return (await github.rest.pulls.get({ ...ref, pull_number: number })).data;
  } catch (error) {
    throw githubError(error, `reading ${ref.owner}/${ref.repo}#${number}`, { repo: `${ref.owner}/${ref.repo}` });
  }
}
