/** What the registry's own index branch knows about a pull request's packages: publication times and unpublished versions. */
import { indexPath } from '../../core/index-path.js';
import { parseIndexFile } from '../../core/index-line.js';
import { nameError } from '../../core/names.js';
import { readRepositoryFile } from './contents.js';
import { definitionPath } from '../registry/layout.js';
import type { RegistryHistory } from '../registry/types.js';
import type { IndexLine } from '../../schema/types.js';
import type { GitHub, RepoRef } from './octokit.js';

/** Lines of the index branch, one GitHub read per package, cached for the life of one check. */
export type IndexLines = (name: string) => Promise<IndexLine[]>;

export function indexLines(github: GitHub, ref: RepoRef, indexBranch: string): IndexLines {
  const files = new Map<string, Promise<IndexLine[]>>();
  const load = async (name: string): Promise<IndexLine[]> => {
    const path = indexPath(name);
    const text = await readRepositoryFile(github, ref, path, indexBranch);
    if (text === undefined) return [];
    try {
      return parseIndexFile(text, `${indexBranch}:${path}`, name);
    } catch {
      // A damaged index file means "unknown": validate then treats the unpublish as trustee-only.
      return [];
    }
  };
  return (name) => {
    if (nameError(name)) return Promise.resolve([]);
    let file = files.get(name);
    if (!file) {
      file = load(name);
      files.set(name, file);
    }
    return file;
  };
}

/** A `publishedAt` lookup for the validate contract; unknown (undefined) when the index has no such line. */
export function indexPublishedAt(lines: IndexLines): (name: string, version: string) => Promise<Date | undefined> {
  return async (name, version) => {
    const line = (await lines(name)).find((l) => l.version === version);
    const at = line ? new Date(line.publishedAt) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : undefined;
  };
}

/**
 * The unpublished versions of `names`, as the validate contract's history: the app has no clone to
 * read git history from, and the index marks every unpublished line, so its numbers are never reused.
 */
export function indexHistory(lines: IndexLines, names: Iterable<string>): RegistryHistory {
  const wanted = [...new Set(names)];
  return {
    async deletedDefinitions() {
      const paths = new Set<string>();
      for (const name of wanted) {
        for (const line of await lines(name)) if (line.unpublished) paths.add(definitionPath(line.name, line.version));
      }
      return paths;
    },
  };
}
