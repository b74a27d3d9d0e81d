/**
 * The index branch of a git clone of the registry, read with `git cat-file` at one pinned commit:
 * no checkout, no working-tree changes, fixed argument arrays, validated revisions and paths.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { InputError, LimitError, SourceError, UsageError, shown } from '../../core/errors.js';
import { parseRegistryConfig, REGISTRY_FILE } from '../../core/registry-config.js';
import { checkIndexFilePath } from './index-file-path.js';
import type { OpenedSource } from './opened-source.js';
import { withDefaults, type SourceOptions } from './options.js';

const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*\/$)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

type RunGit = (args: string[], maxBytes: number) => Promise<GitResult>;

function gitRunner(dir: string, timeoutMs: number): RunGit {
  return (args, maxBytes) =>
    new Promise((done, fail) => {
      execFile(
        'git',
        // Hooks and fsmonitor are the ways a hostile clone's config could run code; reads need neither.
        ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', ...args],
        {
          cwd: dir,
          encoding: 'buffer',
          maxBuffer: maxBytes,
          timeout: timeoutMs,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
        },
        (error, stdout, stderr) => {
          const e = error as (NodeJS.ErrnoException & { code?: unknown; killed?: boolean }) | null;
          if (e && typeof e.code !== 'number') {
            if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
              return fail(new LimitError(`git output is larger than ${maxBytes} bytes`, { where: dir }));
            if (e.killed) return fail(new SourceError(`git timed out after ${timeoutMs} ms`, { where: dir }));
            return fail(
              new SourceError(`cannot run git: ${e.message}`, {
                where: dir,
                hint: 'install git, or read the registry over HTTP instead',
                cause: e,
              }),
            );
          }
          done({ code: typeof e?.code === 'number' ? e.code : 0, stdout, stderr: stderr.toString('utf8') });
        },
      );
    });
}

/** Open the index branch of the clone at `dir`: `options.branch`, else registry.yaml's `indexBranch`, else `index`; local or `origin/`. */
export async function gitSource(dir: string, options: SourceOptions): Promise<OpenedSource> {
  const o = withDefaults(options);
  const root = resolve(o.cwd, dir);
  const git = gitRunner(root, o.timeoutMs);
  const top = await git(['rev-parse', '--git-dir'], 1 << 16);
  if (top.code !== 0)
    throw new UsageError('not a git repository', {
      where: root,
      hint: 'pass a clone of the registry, a directory of index files, or an https:// URL to --registry',
    });

  const branch = o.branch ?? (await branchFromRegistryFile(git, root, o.maxBytes));
  if (!BRANCH.test(branch))
    throw new InputError(`the index branch name ${shown(branch)} is not a valid branch name`, {
      where: `${root}/${REGISTRY_FILE}`,
    });
  const commit = await pinBranch(git, branch);
  if (!commit) {
    throw new SourceError(`the clone has no index branch ${shown(branch)} (neither local nor origin/${branch})`, {
      where: root,
      hint: `fetch it: git -C ${root} fetch origin ${branch}`,
    });
  }
  const where = (path: string) => `${root} (${branch}@${commit.slice(0, 12)}:${path})`;

  return {
    kind: 'git',
    description: `${root} (branch ${branch} at ${commit.slice(0, 12)})`,
    identity: `git:${root}#${branch}`,
    locate: (path) => where(checkIndexFilePath(path)),
    resolveRelative: (relative) => resolve(root, relative),
    async readFile(path) {
      checkIndexFilePath(path);
      // `<commit>:<path>` with a validated path is never read as an option or a revision range.
      const result = await git(['cat-file', 'blob', `${commit}:${path}`], o.maxBytes);
      if (result.code === 0) return result.stdout;
      if (/does not exist|exists on disk, but not in/i.test(result.stderr)) return undefined;
      throw new SourceError(`git cat-file failed: ${result.stderr.trim().slice(0, 300)}`, { where: where(path) });
    },
  };
}

async function branchFromRegistryFile(git: RunGit, root: string, maxBytes: number): Promise<string> {
  const file = await git(['cat-file', 'blob', `HEAD:${REGISTRY_FILE}`], Math.min(maxBytes, 1 << 20));
  if (file.code !== 0) return 'index';
  try {
    return parseRegistryConfig(file.stdout.toString('utf8'), `${root}/${REGISTRY_FILE}`).indexBranch;
  } catch {
    // A broken registry.yaml on main says nothing reliable about the index branch; use the default.
    return 'index';
  }
}

async function pinBranch(git: RunGit, branch: string): Promise<string | undefined> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
    const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], 1 << 16);
    const id = r.stdout.toString('utf8').trim();
    if (r.code === 0 && /^[0-9a-f]{40,64}$/.test(id)) return id;
  }
  return undefined;
}
