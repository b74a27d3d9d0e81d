/** A RegistryTree read through GitHub's git trees and blobs API at one commit: what the app validates a pull request against. */
import { LimitError } from '../../core/errors.js';
import { REGISTRY_FILE } from '../../core/registry-config.js';
import type { EntryKind, RegistryTree, TreeEntry } from '../registry/types.js';
import { githubError } from './api-error.js';
import { archiveBlobs } from './archive.js';
import type { GitHub, RepoRef } from './octokit.js';

/**
 * GitHub refuses pushes of files over 100 MiB, and the blob API serves up to that size: any file of a
 * repository can be read. The rules refuse oversized registry files by the size the listing gives, unread.
 */
export const DEFAULT_MAX_BLOB_BYTES = 100 * 1024 * 1024;

/** Files up to this size are taken from an archive; larger ones (refused by the rules anyway) are not kept. */
const MAX_ARCHIVED_FILE_BYTES = 1024 * 1024;

interface GitEntry {
  path: string;
  kind: EntryKind;
  sha: string;
  size: number | undefined;
}

/** A RegistryTree that also answers what kind of entry a path is (for the PR's changed files). */
export interface ApiTree extends RegistryTree {
  readonly sha: string;
  entry(path: string): Promise<TreeEntry | undefined>;
  /** The blob SHA at `path`, or undefined when there is none. */
  blobSha(path: string): Promise<string | undefined>;
}

export interface ApiTreeOptions extends RepoRef {
  /** A commit SHA (or tree SHA). */
  sha: string;
  maxBlobBytes?: number;
  /** Where file contents come from; shared by the trees of one check. Default: one blob read per file. */
  blobs?: BlobSource;
}

/** File contents by blob SHA, each read at most once. */
export interface BlobSource {
  read(sha: string, path: string): Promise<Buffer>;
}

/** What the registry's rules read: definitions, overrides and registry.yaml. */
const REGISTRY_FILES = (path: string) =>
  path.startsWith('packages/') || path.startsWith('overrides/') || path === REGISTRY_FILE;

/** Past this many unpacked bytes the archive is not worth holding: files are read one by one instead. */
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;

/**
 * Blobs read one per request, or, with `archive` (a commit SHA), first looked up in that commit's archive:
 * one request, fetched the first time a file is read, for every registry file of the commit. A file the
 * archive does not hold (over 1 MiB, outside the registry's folders, changed since) is read
 * through the blob API; an archive that cannot be had is not an error, only more requests.
 */
export function createBlobSource(github: GitHub, ref: RepoRef, options: { archive?: string } = {}): BlobSource {
  const blobs = new Map<string, Promise<Buffer>>();
  let archive: Promise<void> | undefined;
  const loadArchive = (sha: string) =>
    (archive ??= archiveBlobs(github, ref, sha, {
      wanted: REGISTRY_FILES,
      maxFileBytes: MAX_ARCHIVED_FILE_BYTES,
      maxTotalBytes: MAX_ARCHIVE_BYTES,
    }).then(
      (found) => {
        for (const [blobSha, bytes] of found) if (!blobs.has(blobSha)) blobs.set(blobSha, Promise.resolve(bytes));
      },
      () => undefined,
    ));
  return {
    async read(sha, path) {
      if (!blobs.has(sha) && options.archive !== undefined) await loadArchive(options.archive);
      let blob = blobs.get(sha);
      if (!blob) {
        blob = readBlob(github, ref, sha, path);
        blobs.set(sha, blob);
      }
      return blob;
    },
  };
}

/** A lazily loaded, cached view of `owner/repo` at `sha`. */
export function createApiTree(github: GitHub, options: ApiTreeOptions): ApiTree {
  const { owner, repo, sha } = options;
  const maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
  let entries: Promise<Map<string, GitEntry>> | undefined;
  const blobs = options.blobs ?? createBlobSource(github, { owner, repo });

  const load = () => (entries ??= loadEntries(github, { owner, repo }, sha));

  return {
    sha,
    async list(prefix) {
      const all = await load();
      const out: TreeEntry[] = [];
      for (const e of all.values()) if (e.path.startsWith(prefix)) out.push(treeEntry(e));
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    async entry(path) {
      const e = (await load()).get(path);
      return e && treeEntry(e);
    },
    async blobSha(path) {
      return (await load()).get(path)?.sha;
    },
    async read(path) {
      const e = (await load()).get(path);
      if (!e || e.kind === 'submodule') return undefined;
      if (e.size !== undefined && e.size > maxBlobBytes) {
        throw new LimitError(`${path} is ${e.size} bytes; registry files are at most ${maxBlobBytes} bytes`, {
          where: `${owner}/${repo}@${sha.slice(0, 12)}:${path}`,
          hint: 'keep definition and override files small',
        });
      }
      return blobs.read(e.sha, path);
    },
  };
}

function treeEntry(e: GitEntry): TreeEntry {
  return e.size === undefined ? { path: e.path, kind: e.kind } : { path: e.path, kind: e.kind, size: e.size };
}

async function readBlob(github: GitHub, ref: RepoRef, sha: string, path: string): Promise<Buffer> {
  try {
    const { data } = await github.rest.git.getBlob({ ...ref, file_sha: sha });
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
  } catch (error) {
    throw githubError(error, `reading ${path} (blob ${sha.slice(0, 12)}) of ${ref.owner}/${ref.repo}`);
  }
}

interface RawEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

function kindOf(e: RawEntry): EntryKind | undefined {
  if (e.type === 'commit') return 'submodule';
  if (e.type !== 'blob') return undefined;
  return e.mode === '120000' ? 'symlink' : 'file';
}

/** One recursive call; when GitHub truncates a huge tree, walk it one level at a time instead. */
async function loadEntries(github: GitHub, ref: RepoRef, sha: string): Promise<Map<string, GitEntry>> {
  const out = new Map<string, GitEntry>();
  const first = await getTree(github, ref, sha, true);
  if (!first.truncated) {
    addEntries(out, '', first.tree);
    return out;
  }
  const pending: Array<{ prefix: string; sha: string }> = [{ prefix: '', sha }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    const level = await getTree(github, ref, next.sha, false);
    addEntries(out, next.prefix, level.tree);
    for (const e of level.tree)
      if (e.type === 'tree' && e.path && e.sha) pending.push({ prefix: `${next.prefix}${e.path}/`, sha: e.sha });
  }
  return out;
}

function addEntries(out: Map<string, GitEntry>, prefix: string, tree: RawEntry[]): void {
  for (const e of tree) {
    const kind = kindOf(e);
    if (!kind || !e.path || !e.sha) continue;
    const path = `${prefix}${e.path}`;
    out.set(path, { path, kind, sha: e.sha, size: e.size });
  }
}

async function getTree(
  github: GitHub,
  ref: RepoRef,
  sha: string,
  recursive: boolean,
): Promise<{ tree: RawEntry[]; truncated: boolean }> {
  try {
    const { data } = await github.rest.git.getTree({
      ...ref,
      tree_sha: sha,
      ...(recursive ? { recursive: 'true' } : {}),
    });
    return { tree: data.tree as RawEntry[], truncated: Boolean(data.truncated) };
  } catch (error) {
    throw githubError(error, `reading the tree of ${ref.owner}/${ref.repo} at ${sha.slice(0, 12)}`);
  }
}
