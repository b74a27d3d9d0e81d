/**
 * The index branch of a git clone of the registry, read through one `git cat-file --batch` at one pinned
 * commit: no checkout, no working-tree changes, git started only through core/git, validated branch names and paths.
 */
import { resolve } from 'node:path';
import { CatFile } from '../../core/git/cat-file.js';
import { runGit } from '../../core/git/run.js';
import { GitError, InputError, LimitError, SourceError, UsageError, shown } from '../../core/errors.js';
import { parseRegistryConfig, REGISTRY_FILE } from '../../core/registry-config.js';
import { checkIndexFilePath } from './index-file-path.js';
import type { OpenedSource } from './opened-source.js';
import { withDefaults, type SourceOptions } from './options.js';

const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*\/$)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

/** Open the index branch of the clone at `dir`: `options.branch`, else registry.yaml's `indexBranch`, else `index`; local or `origin/`. */
export async function gitSource(dir: string, options: SourceOptions): Promise<OpenedSource> {
  const o = withDefaults(options);
  const root = resolve(o.cwd, dir);
  const isRepository = await runGit(root, ['rev-parse', '--git-dir'], {
    timeoutMs: o.timeoutMs,
    maxOutputBytes: 1 << 16,
  }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof GitError && (error.reason === 'exit' || error.reason === 'spawn')) return false;
      throw sourceError(error, root, o.timeoutMs);
    },
  );
  if (!isRepository)
    throw new UsageError('not a git repository', {
      where: root,
      hint: 'pass a clone of the registry, a directory of index files, or an https:// URL to --registry',
    });

  // Every read of this source (registry.yaml, the branch, each index file) goes through one process.
  const objects = new CatFile(root, { timeoutMs: o.timeoutMs, maxObjectBytes: o.maxBytes });
  const read = async (spec: string, where: string, maxBytes = o.maxBytes) => {
    try {
      return await objects.object(spec, { maxBytes });
    } catch (error) {
      throw sourceError(error, where, o.timeoutMs, maxBytes);
    }
  };

  const branch = o.branch ?? (await branchFromRegistryFile(read, root, o.maxBytes));
  if (!BRANCH.test(branch))
    throw new InputError(`the index branch name ${shown(branch)} is not a valid branch name`, {
      where: `${root}/${REGISTRY_FILE}`,
    });
  const tip = await pinBranch(read, root, branch);
  if (!tip) {
    throw new SourceError(`the clone has no index branch ${shown(branch)} (neither local nor origin/${branch})`, {
      where: root,
      hint: `fetch it: git -C ${root} fetch origin ${branch}`,
    });
  }
  const commit = o.snapshot === undefined ? tip : await pinSnapshot(read, root, tip, o.snapshot, o.timeoutMs);
  const where = (path: string) => `${root} (${branch}@${commit.slice(0, 12)}:${path})`;

  return {
    kind: 'git',
    description: `${root} (branch ${branch} at ${commit.slice(0, 12)})`,
    identity: `git:${root}#${branch}`,
    ...(o.snapshot === undefined ? {} : { historic: true }),
    locate: (path) => where(checkIndexFilePath(path)),
    resolveRelative: (relative) => resolve(root, relative),
    async readFile(path) {
      checkIndexFilePath(path);
      // `<commit>:<path>` with a validated path is never read as an option or a revision range.
      const object = await read(`${commit}:${path}`, where(path));
      if (object === undefined) return undefined;
      if (object.type !== 'blob')
        throw new SourceError(`git cat-file failed: ${path} is a ${object.type}, not a file`, { where: where(path) });
      return object.data;
    },
  };
}

/**
 * The newest commit of the index branch whose timestamp names snapshot version `wanted` (a number), or
 * whose snapshot curated main up to `wanted` (a date) or earlier: generations are read newest first.
 */
async function pinSnapshot(read: Read, root: string, tip: string, wanted: string, timeoutMs: number): Promise<string> {
  const version = /^[1-9][0-9]{0,15}$/.test(wanted) ? Number(wanted) : undefined;
  const date = version === undefined ? Date.parse(wanted) : undefined;
  if (version === undefined && (date === undefined || Number.isNaN(date) || !/^\d{4}-\d{2}-\d{2}/.test(wanted)))
    throw new UsageError(`--snapshot ${shown(wanted)} is neither a snapshot version nor a date`, {
      hint: 'pass a snapshot version (as the lockfile records it, e.g. 12) or a date (2026-11-30 or 2026-11-30T12:00:00Z)',
    });
  const { stdout } = await runGit(root, ['rev-list', '--first-parent', tip, '--', 'metadata/timestamp.json'], {
    timeoutMs,
    maxOutputBytes: 64 << 20,
  }).catch((error: unknown) => {
    throw sourceError(error, root, timeoutMs);
  });
  const json = async <T>(spec: string): Promise<T | undefined> => {
    const object = await read(spec, `${root} (${spec})`);
    if (object?.type !== 'blob') return undefined;
    try {
      return JSON.parse(object.data.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  };
  let oldest: number | undefined;
  for (const commit of stdout.toString('utf8').split('\n').filter(Boolean)) {
    if (!/^[0-9a-f]{40,64}$/.test(commit)) continue;
    const timestamp = await json<{ signed?: { meta?: Record<string, { version?: number }> } }>(
      `${commit}:metadata/timestamp.json`,
    );
    const at = timestamp?.signed?.meta?.['snapshot.json']?.version;
    if (typeof at !== 'number') continue;
    oldest = at;
    if (version !== undefined) {
      if (at === version) return commit;
      if (at < version) break;
      continue;
    }
    const snapshot = await json<{ signed?: { granary?: { createdAt?: string } } }>(
      `${commit}:metadata/${at}.snapshot.json`,
    );
    const created = Date.parse(snapshot?.signed?.granary?.createdAt ?? '');
    if (!Number.isNaN(created) && created <= date!) return commit;
  }
  throw new UsageError(
    version !== undefined
      ? `the index branch holds no snapshot version ${version}`
      : `the index branch holds no snapshot curated on or before ${wanted}`,
    {
      where: root,
      hint: `its history goes back to snapshot version ${oldest ?? '(none)'}; fetch the whole branch (git fetch --unshallow) if the clone is shallow`,
    },
  );
}

type Read = (
  spec: string,
  where: string,
  maxBytes?: number,
) => Promise<{ id: string; type: string; data: Buffer } | undefined>;

async function branchFromRegistryFile(read: Read, root: string, maxBytes: number): Promise<string> {
  const file = await read(`HEAD:${REGISTRY_FILE}`, `${root}/${REGISTRY_FILE}`, Math.min(maxBytes, 1 << 20));
  if (file === undefined || file.type !== 'blob') return 'index';
  try {
    return parseRegistryConfig(file.data.toString('utf8'), `${root}/${REGISTRY_FILE}`).indexBranch;
  } catch {
    // A broken registry.yaml on main says nothing reliable about the index branch; use the default.
    return 'index';
  }
}

async function pinBranch(read: Read, root: string, branch: string): Promise<string | undefined> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
    const object = await read(`${ref}^{commit}`, root);
    if (object !== undefined) return object.id;
  }
  return undefined;
}

/** Errors of the git layer as the client reports them: git missing or failing (the machine), timed out (temporary), or a file over the size cap. */
function sourceError(error: unknown, where: string, timeoutMs: number, maxBytes?: number): Error {
  if (error instanceof LimitError)
    return new LimitError(`git output is larger than ${maxBytes ?? 'the allowed'} bytes`, { where, cause: error });
  if (error instanceof GitError && error.reason === 'timeout')
    return new SourceError(`git timed out after ${timeoutMs} ms`, { where, cause: error, temporary: true });
  if (error instanceof UsageError || (error instanceof GitError && error.reason === 'spawn'))
    return new UsageError(`cannot run git: ${error.message}`, {
      where,
      hint: 'install git, or read the registry over HTTP instead',
      cause: error,
    });
  if (error instanceof GitError)
    return new GitError(`git cat-file failed: ${error.message.slice(0, 300)}`, {
      where,
      cause: error,
      reason: error.reason,
      ...(error.exit === undefined ? {} : { exit: error.exit }),
      stderr: error.stderr,
    });
  return error instanceof Error ? error : new Error(String(error));
}
