/** Trees of a local repository: one `git ls-tree` per listing, contents through the repository's one object reader. */
import { isObjectSpec } from '../../core/git/cat-file.js';
import { parseLsTree, type LsTreeEntry } from '../../core/git/ls-tree.js';
import type { EntryKind, RegistryTree, TreeEntry } from '../registry/types.js';
import type { Git } from './repository.js';
import { resolveCommit } from './revision.js';

export interface ListTreeOptions {
  /** Ask git for blob sizes (`-l`, default true); a listing without them is cheaper on a large tree. */
  sizes?: boolean;
}

/** Every entry of `treeish` (a commit or tree id, or `<commit>:<dir>`), recursively: one `git ls-tree`. */
export async function listTree(git: Git, treeish: string, options: ListTreeOptions = {}): Promise<LsTreeEntry[]> {
  if (!isObjectSpec(treeish)) throw new TypeError(`not a tree name: ${JSON.stringify(treeish).slice(0, 80)}`);
  const sizes = options.sizes === false ? [] : ['-l'];
  const { stdout } = await git.run(['ls-tree', '-r', '-z', ...sizes, '--full-tree', treeish]);
  return parseLsTree(stdout);
}

export interface GitTree extends RegistryTree {
  /** The commit id the tree belongs to. */
  readonly commit: string;
}

/** The registry's tree at `rev`: listed once on first use; blobs read through `git.objects`. */
export async function gitTree(git: Git, rev: string): Promise<GitTree> {
  const commit = await resolveCommit(git, rev);
  let loading: Promise<Map<string, LsTreeEntry & { kind: EntryKind }>> | undefined;
  const entries = () =>
    (loading ??= listTree(git, commit).then((listed) => {
      const map = new Map<string, LsTreeEntry & { kind: EntryKind }>();
      for (const entry of listed) if (entry.kind !== 'other') map.set(entry.path, { ...entry, kind: entry.kind });
      return map;
    }));
  return {
    commit,
    async list(prefix) {
      const out: TreeEntry[] = [];
      for (const entry of (await entries()).values()) {
        if (entry.path.startsWith(prefix))
          out.push({ path: entry.path, kind: entry.kind, ...(entry.size === undefined ? {} : { size: entry.size }) });
      }
      return out;
    },
    async read(path) {
      const entry = (await entries()).get(path);
      if (!entry || entry.kind === 'submodule') return undefined;
      return git.objects.read(entry.id);
    },
  };
}
