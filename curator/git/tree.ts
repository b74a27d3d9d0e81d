/** A RegistryTree over one commit of a local repository: one `ls-tree` for the listing, one `cat-file --batch` for contents. */
import type { EntryKind, RegistryTree, TreeEntry } from '../validate/types.js';
import { CatFileBatch } from './cat-file-batch.js';
import { resolveCommit } from './revision.js';
import { runGit, DEFAULT_GIT_TIMEOUT_MS } from './run-git.js';

interface StoredEntry extends TreeEntry {
  id: string;
}

export interface GitTree extends RegistryTree {
  /** The commit id the tree belongs to. */
  readonly commit: string;
  /** Stop the background `git cat-file` process. */
  close(): void;
}

export interface GitTreeOptions {
  timeoutMs?: number;
}

/** The kind of a tree entry from its git mode. */
export function kindOfMode(mode: string): EntryKind | undefined {
  if (mode === '120000') return 'symlink';
  if (mode === '160000') return 'submodule';
  if (mode === '100644' || mode === '100755' || mode === '100664') return 'file';
  return undefined;
}

/** Parse `git ls-tree -r -z -l` output. */
export function parseLsTree(out: Buffer): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    const record = out.subarray(start, end);
    start = end + 1;
    const tab = record.indexOf(9);
    if (tab < 0) continue;
    const [mode = '', , id = '', size = '-'] = record.subarray(0, tab).toString('latin1').split(/ +/);
    const kind = kindOfMode(mode);
    if (!kind) continue;
    const path = record.subarray(tab + 1).toString('utf8');
    const bytes = Number(size);
    entries.push(Number.isSafeInteger(bytes) ? { path, kind, id, size: bytes } : { path, kind, id });
  }
  return entries;
}

/** Open the tree of `rev` in the repository at `repoDir`. */
export async function gitTree(repoDir: string, rev: string, options: GitTreeOptions = {}): Promise<GitTree> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const commit = await resolveCommit(repoDir, rev);
  const batch = new CatFileBatch(repoDir, timeoutMs);
  let loading: Promise<Map<string, StoredEntry>> | undefined;
  const entries = () =>
    (loading ??= runGit(repoDir, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit], { timeoutMs }).then(
      ({ stdout }) => {
        const map = new Map<string, StoredEntry>();
        for (const entry of parseLsTree(stdout)) map.set(entry.path, entry);
        return map;
      },
    ));
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
      return batch.read(entry.id);
    },
    close: () => batch.close(),
  };
}
