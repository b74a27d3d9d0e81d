/** Trees of a local repository: one `git ls-tree` per listing, contents through the repository's one object reader. */
import { isObjectSpec } from '../../core/git/cat-file.js';
import { kindOfMode, parseLsTree, type LsTreeEntry } from '../../core/git/ls-tree.js';
import type { EntryKind, RegistryTree, TreeEntry } from '../registry/types.js';
import type { FileChange } from './diff-tree.js';
import type { Git } from './repository.js';
import { resolveCommit } from './revision.js';

export interface ListTreeOptions {
  /** Ask git for blob sizes (`-l`, default true); a listing without them is cheaper on a large tree. */
  sizes?: boolean;
  /** Only these paths (directories or files, literal); default: the whole tree. */
  paths?: readonly string[];
}

/** Every entry of `treeish` (a commit or tree id, or `<commit>:<dir>`), recursively: one `git ls-tree`. */
export async function listTree(git: Git, treeish: string, options: ListTreeOptions = {}): Promise<LsTreeEntry[]> {
  if (!isObjectSpec(treeish)) throw new TypeError(`not a tree name: ${JSON.stringify(treeish).slice(0, 80)}`);
  const sizes = options.sizes === false ? [] : ['-l'];
  const paths = options.paths === undefined ? [] : ['--', ...options.paths];
  const { stdout } = await git.run([
    '--literal-pathspecs',
    'ls-tree',
    '-r',
    '-z',
    ...sizes,
    '--full-tree',
    treeish,
    ...paths,
  ]);
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

/**
 * The registry paths of main as it moves commit by commit: listed once at the first commit, then each
 * change's diff applied, so judging a run of merges costs one `git ls-tree`, not two per merge.
 */
export class RollingTree implements RegistryTree {
  private constructor(
    private readonly git: Git,
    private readonly entries: Map<string, { kind: EntryKind; id: string; size: number | undefined }>,
  ) {}

  /** The tree of `commit` (undefined: the empty tree before a root commit), limited to `paths`. */
  static async at(git: Git, commit: string | undefined, paths: readonly string[]): Promise<RollingTree> {
    const entries = new Map<string, { kind: EntryKind; id: string; size: number | undefined }>();
    if (commit !== undefined) {
      // Without sizes: git would read every blob's header; the reader checks a file's size when it reads it.
      for (const entry of await listTree(git, commit, { paths, sizes: false })) {
        if (entry.kind !== 'other') entries.set(entry.path, { kind: entry.kind, id: entry.id, size: entry.size });
      }
    }
    return new RollingTree(git, entries);
  }

  /** A frozen copy: this tree as it is now, unaffected by later `apply` calls. */
  snapshot(): RollingTree {
    return new RollingTree(this.git, new Map(this.entries));
  }

  /** Move to the next commit: `changes` is its diff from the commit this tree is at. */
  apply(changes: readonly FileChange[]): void {
    for (const change of changes) {
      if (change.status === 'deleted') {
        this.entries.delete(change.path);
        continue;
      }
      const kind = kindOfMode(change.mode);
      if (kind === 'other') this.entries.delete(change.path);
      else this.entries.set(change.path, { kind, id: change.blob, size: undefined });
    }
  }

  /** Whether the tree has an entry at `path`. */
  has(path: string): boolean {
    return this.entries.has(path);
  }

  async list(prefix: string): Promise<TreeEntry[]> {
    const out: TreeEntry[] = [];
    for (const [path, entry] of this.entries) {
      if (path.startsWith(prefix))
        out.push({ path, kind: entry.kind, ...(entry.size === undefined ? {} : { size: entry.size }) });
    }
    return out;
  }

  async read(path: string): Promise<Buffer | undefined> {
    const entry = this.entries.get(path);
    if (!entry || entry.kind === 'submodule') return undefined;
    return this.git.objects.read(entry.id);
  }
}
