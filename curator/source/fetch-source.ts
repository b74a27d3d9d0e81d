/** Fetch exactly one tag of a package's source into a temporary bare repository and list the tree at its commit. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LimitError, UsageError } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { PackageDefinition } from '../../schema/types.js';
import { checkCommit, checkRef, checkSubdir } from './check-inputs.js';
import { directorySize, watchDirectorySize } from './dir-size.js';
import { SourceFailure } from './errors.js';
import { gitEnv } from './git-env.js';
import { createGitRunner, GitTimeout, type GitCallOptions, type GitObject, type GitRunner } from './git-runner.js';
import { parseLsTree, type SourceEntry } from './read-tree.js';
import { sourceUrl } from './source-url.js';

export interface FetchOptions {
  registry: RegistryConfig;
  /** Relative `file://./…` sources resolve against this (default: the process's working directory). */
  cwd?: string;
  signal?: AbortSignal;
  /** Runs git (default: the hardened simple-git runner). */
  git?: GitRunner;
  /** Where the temporary repository is made (default: the OS temp directory). */
  tmpDir?: string;
  /** Environment to take PATH, proxy and CA settings from (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A source tree at one commit, readable until `dispose()`. */
export interface FetchedSource {
  /** The location as people know it (for messages). */
  url: string;
  commit: string;
  /** Files, links and submodules of the tree at `commit` (under `subdir`), paths relative to the package root. */
  entries: SourceEntry[];
  /** Blob contents, in the order asked. */
  readBlobs(ids: string[]): AsyncIterable<GitObject>;
  dispose(): Promise<void>;
}

/** Fetch `definition`'s tag and list its tree; every input is checked before git runs. */
export async function fetchSource(definition: PackageDefinition, options: FetchOptions): Promise<FetchedSource> {
  const who = `${definition.name}@${definition.version}`;
  const ref = checkRef(definition.ref, who);
  const pin = checkCommit(definition.commit, who);
  const subdir = checkSubdir(definition.location?.subdir, who);
  if (!definition.location || typeof definition.location !== 'object')
    throw new SourceFailure('the definition has no location', 'source-invalid', {
      where: who,
      hint: 'add `location: { github: owner/repo }`',
    });
  const source = sourceUrl(definition.location, options.registry, options.cwd ?? process.cwd(), who);
  const git = options.git ?? createGitRunner();
  const { limits } = options.registry;

  const root = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'granary-source-'));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    const repo = join(root, 'repo.git');
    await mkdir(repo);
    const home = await emptyHome(root);
    const call: GitCallOptions = {
      env: gitEnv({ home, protocols: [source.scheme], inherit: options.env }),
      timeoutMs: limits.gitTimeoutSeconds * 1000,
      signal: options.signal,
    };
    const run = (args: string[], extra: Partial<GitCallOptions> = {}) =>
      git.run(repo, args, { ...call, ...extra }).catch((e: unknown) => rethrow(e, who));

    await run(['init', '--bare', '-q']);
    await fetchTag(
      git,
      repo,
      source.url,
      ref,
      call,
      limits.maxFetchBytes,
      who,
      source.url === source.display ? source.url : `${source.display} (${source.url})`,
    );

    const commit = (
      await run(['rev-parse', '--verify', `refs/tags/${ref}^{commit}`]).catch((cause: unknown) => {
        throw new SourceFailure(`tag ${ref} of ${source.display} does not point to a commit`, 'ref-missing', {
          where: who,
          hint: 'tag a commit and point `ref` at that tag',
          cause,
        });
      })
    ).trim();
    if (!/^[0-9a-f]{40}$/.test(commit))
      throw new SourceFailure(`tag ${ref} of ${source.display} did not resolve to a commit`, 'ref-missing', {
        where: who,
        hint: 'check the tag with `git rev-parse <tag>^{commit}`',
      });
    if (pin !== undefined && pin !== commit) {
      throw new SourceFailure(
        `tag ${ref} resolves to ${commit}, but the definition pins commit ${pin}`,
        'commit-mismatch',
        {
          where: who,
          hint: 'a moved tag is not accepted: fix `commit` to the commit you mean to publish, or move the tag back',
        },
      );
    }
    const blobs = startBlobReader(git, repo, call, who);
    try {
      const entries = await listTree(git, repo, commit, subdir, call, who, ref);
      return { url: source.display, commit, entries, readBlobs: blobs.read, dispose: () => blobs.stop().then(dispose) };
    } catch (error) {
      await blobs.stop();
      throw error;
    }
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * Open a repository that is already on disk (no fetch) at `commit`: for measuring the pack step alone,
 * and for callers that keep their own clone. The repository is read, never checked out, but its own
 * config is in effect: use it only on repositories you made.
 */
export async function openLocalSource(
  repo: string,
  commit: string,
  options: { registry: RegistryConfig; subdir?: string; git?: GitRunner; env?: NodeJS.ProcessEnv; tmpDir?: string },
): Promise<FetchedSource> {
  const who = repo;
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new SourceFailure(`not a commit id: ${commit}`, 'source-invalid', { where: who });
  const subdir = checkSubdir(options.subdir, who);
  const git = options.git ?? createGitRunner();
  const root =
    process.platform === 'win32' ? await mkdtemp(join(options.tmpDir ?? tmpdir(), 'granary-home-')) : undefined;
  const dispose = async () => {
    if (root) await rm(root, { recursive: true, force: true });
  };
  try {
    const call: GitCallOptions = {
      env: gitEnv({ home: root && (await emptyHome(root)), protocols: [], inherit: options.env }),
      timeoutMs: options.registry.limits.gitTimeoutSeconds * 1000,
    };
    const blobs = startBlobReader(git, repo, call, who);
    try {
      const entries = await listTree(git, repo, commit, subdir, call, who, commit.slice(0, 12));
      return { url: repo, commit, entries, readBlobs: blobs.read, dispose: () => blobs.stop().then(dispose) };
    } catch (error) {
      await blobs.stop();
      throw error;
    }
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** On Windows, where there is no /dev/null to point HOME at, an empty directory inside our own temp root. */
async function emptyHome(root: string): Promise<string | undefined> {
  if (process.platform !== 'win32') return undefined;
  const home = join(root, 'home');
  await mkdir(home);
  return home;
}

async function listTree(
  git: GitRunner,
  repo: string,
  commit: string,
  subdir: string | undefined,
  call: GitCallOptions,
  who: string,
  ref: string,
): Promise<SourceEntry[]> {
  let treeish = commit;
  if (subdir !== undefined) {
    const type = (await git.read(repo, ['cat-file', '-t', `${commit}:${subdir}`], call).catch(() => Buffer.alloc(0)))
      .toString('latin1')
      .trim();
    if (type !== 'tree') {
      throw new SourceFailure(
        `subdir ${subdir} is not a directory at ${ref} (${commit.slice(0, 12)})`,
        'subdir-missing',
        { where: who, hint: 'fix `location.subdir`, or tag a commit that has it' },
      );
    }
    treeish = `${commit}:${subdir}`;
  }
  const output = await git
    .read(repo, ['ls-tree', '-r', '-l', '-z', treeish], call)
    .catch((e: unknown) => rethrow(e, who, 'could not list the source tree'));
  return parseLsTree(output);
}

/** Fetch only `refs/tags/<ref>`, shallow, watching the repository's size; git never gets a chance to write more than the cap plus one poll. */
async function fetchTag(
  git: GitRunner,
  repo: string,
  url: string,
  ref: string,
  call: GitCallOptions,
  maxBytes: number,
  who: string,
  shownUrl: string,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  call.signal?.addEventListener('abort', onAbort);
  let tooBig: number | undefined;
  const stop = watchDirectorySize(repo, maxBytes, (bytes) => {
    tooBig = bytes;
    controller.abort();
  });
  const sizeError = (bytes: number) =>
    new LimitError(
      `the source is larger than limits.maxFetchBytes (${maxBytes} bytes): fetching stopped at ${bytes} bytes`,
      {
        where: `${who} (${shownUrl})`,
        hint: 'make the repository smaller, or publish from a smaller repository (subdir does not reduce what is fetched)',
      },
    );
  try {
    await git.run(
      repo,
      ['fetch', '--depth=1', '--no-tags', '--no-recurse-submodules', '--', url, `refs/tags/${ref}:refs/tags/${ref}`],
      { ...call, signal: controller.signal },
    );
  } catch (error) {
    if (tooBig !== undefined) throw sizeError(tooBig);
    const text = error instanceof Error ? error.message : String(error);
    if (/couldn't find remote ref/i.test(text)) {
      throw new SourceFailure(`tag ${ref} not found in ${shownUrl}`, 'ref-missing', {
        where: who,
        hint: 'push the tag (git push origin <tag>) or fix `ref`',
        cause: error,
      });
    }
    rethrow(error, who, `could not fetch ${shownUrl}`);
  } finally {
    stop();
    call.signal?.removeEventListener('abort', onAbort);
  }
  const size = await directorySize(repo);
  if (size > maxBytes) throw sizeError(size);
}

/**
 * Start `git cat-file --batch` before the tree is listed, so the two process start-ups overlap;
 * `read(ids)` hands it the ids (once), `stop()` ends it if nobody did.
 */
function startBlobReader(
  git: GitRunner,
  repo: string,
  call: GitCallOptions,
  who: string,
): { read(ids: string[]): AsyncIterable<GitObject>; stop(): Promise<void> } {
  let give!: (ids: string[]) => void;
  const ids = new Promise<string[]>((resolve) => (give = resolve));
  const objects = git.readObjects(repo, ids, call);
  let used = false;
  return {
    read(list) {
      if (used) throw new Error('the blobs of a source can be read once');
      used = true;
      give(list);
      return checkedBlobs(objects, who);
    },
    async stop() {
      give([]);
      objects.close();
    },
  };
}

async function* checkedBlobs(objects: AsyncIterable<GitObject>, who: string): AsyncIterable<GitObject> {
  try {
    for await (const object of objects) {
      if (object.type !== 'blob')
        throw new SourceFailure(`object ${object.id} is a ${object.type}, not a file`, 'source-invalid', {
          where: who,
        });
      yield object;
    }
  } catch (error) {
    rethrow(error, who, 'could not read the source');
  }
}

function rethrow(error: unknown, who: string, what = 'git failed'): never {
  if (error instanceof SourceFailure || error instanceof LimitError || error instanceof UsageError) throw error;
  if (error instanceof GitTimeout) {
    throw new SourceFailure(`${error.message}`, 'source-timeout', {
      where: who,
      hint: 'the source host is slow or the repository is huge; try again later, or ask the operators about limits.gitTimeoutSeconds',
      cause: error,
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  if (/ENOENT/.test(text) && /spawn/.test(text))
    throw new UsageError('git is not installed or not on PATH', { hint: 'install git 2.30 or newer', cause: error });
  const detail =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'no output';
  throw new SourceFailure(`${what}: ${detail.slice(0, 300)}`, 'source-unreachable', {
    where: who,
    hint: 'check that the repository exists, is public, and that `location` is right',
    cause: error,
  });
}
