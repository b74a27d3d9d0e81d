/** Fetch exactly one tag of a package's source into a temporary bare repository and list the tree at its commit. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, LimitError, UsageError } from '../../core/errors.js';
import type { GitObject } from '../../core/git/cat-file.js';
import type { GitProtocol } from '../../core/git/env.js';
import type { GitRunner } from '../../core/git/run.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { PackageDefinition } from '../../schema/types.js';
import { fetchRefs } from '../git/remote.js';
import { Git } from '../git/repository.js';
import { listTree } from '../git/tree.js';
import { checkCommit, checkRef, checkSubdir } from './check-inputs.js';
import { directorySize, watchDirectorySize } from './dir-size.js';
import { SourceFailure } from './errors.js';
import type { SourceEntry } from './read-tree.js';
import { sourceUrl } from './source-url.js';

export interface FetchOptions {
  registry: RegistryConfig;
  /** Relative `file://./…` sources resolve against this (default: the process's working directory). */
  cwd?: string;
  signal?: AbortSignal;
  /** Runs git (default: real processes through core/git/run.ts); tests inject one to watch or refuse calls. */
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
  const { limits } = options.registry;

  const root = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'granary-source-'));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    const repo = join(root, 'repo.git');
    await mkdir(repo);
    const git = sourceRepository(repo, {
      runner: options.git,
      timeoutMs: limits.gitTimeoutSeconds * 1000,
      home: await emptyHome(root),
      inherit: options.env,
    });
    try {
      await git.run(['init', '--bare', '-q'], signalled(options.signal)).catch((e: unknown) => rethrow(e, who));
      await fetchTag(
        git,
        source.url,
        source.scheme,
        ref,
        limits.gitTimeoutSeconds * 1000,
        options.signal,
        limits.maxFetchBytes,
        who,
        source.url === source.display ? source.url : `${source.display} (${source.url})`,
      );

      // The tag, its commit, the subdir and every blob are read through the repository's one `cat-file --batch`.
      const commit = await git.resolveRef(`refs/tags/${ref}`).catch((e: unknown) => rethrow(e, who));
      if (commit === undefined)
        throw new SourceFailure(`tag ${ref} of ${source.display} does not point to a commit`, 'ref-missing', {
          where: who,
          hint: 'tag a commit and point `ref` at that tag',
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
      const entries = await sourceTree(git, commit, subdir, who, ref);
      return opened(git, source.display, commit, entries, who, dispose);
    } catch (error) {
      git.close();
      throw error;
    }
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * The tag names of a package's source (`git ls-remote --tags --refs`), checked against the registry's allowed
 * sources first. A host that cannot be reached is a temporary SourceFailure; a missing repository is not.
 */
export async function listSourceTags(
  location: PackageDefinition['location'],
  options: Omit<FetchOptions, 'signal'> & { signal?: AbortSignal; who: string },
): Promise<string[]> {
  const source = sourceUrl(location, options.registry, options.cwd ?? process.cwd(), options.who);
  const root = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'granary-tags-'));
  try {
    const repo = join(root, 'repo.git');
    await mkdir(repo);
    const git = sourceRepository(repo, {
      runner: options.git,
      timeoutMs: options.registry.limits.gitTimeoutSeconds * 1000,
      home: await emptyHome(root),
      inherit: options.env,
    });
    try {
      await git.run(['init', '--bare', '-q'], signalled(options.signal)).catch((e: unknown) => rethrow(e, options.who));
      const { stdout } = await git
        .run(['ls-remote', '--tags', '--refs', '--', source.url], {
          protocols: [source.scheme],
          config: ['http.followRedirects=false'],
          maxOutputBytes: 16 * 1024 * 1024,
          ...signalled(options.signal),
        })
        .catch((e: unknown) => rethrow(e, options.who, `could not list the tags of ${source.display}`));
      return stdout
        .toString('utf8')
        .split('\n')
        .map((line) => line.split('\t')[1] ?? '')
        .filter((ref) => ref.startsWith('refs/tags/'))
        .map((ref) => ref.slice('refs/tags/'.length));
    } finally {
      git.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
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
  const root =
    process.platform === 'win32' ? await mkdtemp(join(options.tmpDir ?? tmpdir(), 'granary-home-')) : undefined;
  const dispose = async () => {
    if (root) await rm(root, { recursive: true, force: true });
  };
  try {
    const git = sourceRepository(repo, {
      runner: options.git,
      timeoutMs: options.registry.limits.gitTimeoutSeconds * 1000,
      home: root && (await emptyHome(root)),
      inherit: options.env,
    });
    try {
      const entries = await sourceTree(git, commit, subdir, who, commit.slice(0, 12));
      return opened(git, repo, commit, entries, who, dispose);
    } catch (error) {
      git.close();
      throw error;
    }
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** A source repository: no user configuration, every call bounded by the registry's git timeout. */
function sourceRepository(
  dir: string,
  options: {
    runner: GitRunner | undefined;
    timeoutMs: number;
    home: string | undefined;
    inherit: NodeJS.ProcessEnv | undefined;
  },
): Git {
  return new Git(dir, {
    isolated: true,
    timeoutMs: options.timeoutMs,
    ...(options.runner === undefined ? {} : { runner: options.runner }),
    ...(options.home === undefined ? {} : { home: options.home }),
    ...(options.inherit === undefined ? {} : { inherit: options.inherit }),
  });
}

function opened(
  git: Git,
  url: string,
  commit: string,
  entries: SourceEntry[],
  who: string,
  dispose: () => Promise<void>,
): FetchedSource {
  return {
    url,
    commit,
    entries,
    readBlobs: (ids) => readBlobs(git, ids, who),
    dispose: async () => {
      git.close();
      await dispose();
    },
  };
}

function signalled(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/** On Windows, where there is no /dev/null to point HOME at, an empty directory inside our own temp root. */
async function emptyHome(root: string): Promise<string | undefined> {
  if (process.platform !== 'win32') return undefined;
  const home = join(root, 'home');
  await mkdir(home);
  return home;
}

async function sourceTree(
  git: Git,
  commit: string,
  subdir: string | undefined,
  who: string,
  ref: string,
): Promise<SourceEntry[]> {
  let treeish = commit;
  if (subdir !== undefined) {
    const type = (await git.objects.object(`${commit}:${subdir}`).catch((e: unknown) => rethrow(e, who)))?.type;
    if (type !== 'tree') {
      throw new SourceFailure(
        `subdir ${subdir} is not a directory at ${ref} (${commit.slice(0, 12)})`,
        'subdir-missing',
        { where: who, hint: 'fix `location.subdir`, or tag a commit that has it' },
      );
    }
    treeish = `${commit}:${subdir}`;
  }
  const listed = await listTree(git, treeish).catch((e: unknown) => rethrow(e, who, 'could not list the source tree'));
  return listed.map(({ path, mode, kind, id, size }) => ({ path, mode, kind, id, size: size ?? 0 }));
}

/** Fetch only `refs/tags/<ref>`, shallow, watching the repository's size; git never gets a chance to write more than the cap plus one poll. */
async function fetchTag(
  git: Git,
  url: string,
  scheme: GitProtocol,
  ref: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  maxBytes: number,
  who: string,
  shownUrl: string,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) controller.abort();
  let tooBig: number | undefined;
  const stop = watchDirectorySize(git.dir, maxBytes, (bytes) => {
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
    await fetchRefs(
      git,
      url,
      [`refs/tags/${ref}:refs/tags/${ref}`],
      ['--depth=1', '--no-tags', '--no-recurse-submodules'],
      {
        protocols: [scheme],
        timeoutMs,
        signal: controller.signal,
        config: ['http.followRedirects=false', 'fetch.writeCommitGraph=false'],
      },
    );
  } catch (error) {
    if (tooBig !== undefined) throw sizeError(tooBig);
    const text = error instanceof GitError ? error.stderr : error instanceof Error ? error.message : String(error);
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
    signal?.removeEventListener('abort', onAbort);
  }
  const size = await directorySize(git.dir);
  if (size > maxBytes) throw sizeError(size);
}

/** Requests in flight at once: enough to keep cat-file busy, few enough to bound the memory held. */
const READ_AHEAD = 16;

/** Blob contents in the order asked, through the repository's one `cat-file --batch`, a few requests ahead. */
async function* readBlobs(git: Git, ids: string[], who: string): AsyncIterable<GitObject> {
  const inFlight: Array<Promise<GitObject | undefined>> = [];
  let asked = 0;
  const askNext = () => {
    const id = ids[asked++]!;
    if (!/^[0-9a-f]{40}$/.test(id)) throw new TypeError(`not an object id: ${JSON.stringify(id)}`);
    const answer = git.objects.object(id);
    answer.catch(() => undefined);
    inFlight.push(answer);
  };
  try {
    while (asked < ids.length && inFlight.length < READ_AHEAD) askNext();
    for (const id of ids) {
      const object = await inFlight.shift()!;
      if (asked < ids.length) askNext();
      if (object === undefined)
        throw new GitError(`git cat-file: object ${id} is missing`, { where: git.dir, reason: 'exit' });
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
  if (error instanceof GitError && error.reason === 'timeout') {
    throw new SourceFailure(error.message, 'source-timeout', {
      where: who,
      hint: 'the source host is slow or the repository is huge; try again later, or ask the operators about limits.gitTimeoutSeconds',
      cause: error,
      temporary: true,
    });
  }
  const text =
    error instanceof GitError && error.stderr ? error.stderr : error instanceof Error ? error.message : String(error);
  const detail =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'no output';
  const outage = NETWORK_FAILURE.test(text) && !MISSING_REPOSITORY.test(text);
  throw new SourceFailure(`${what}: ${detail.slice(0, 300)}`, 'source-unreachable', {
    where: who,
    hint: outage
      ? 'the source host could not be reached; nothing was refused: run the same command again later'
      : 'check that the repository exists, is public, and that `location` is right',
    cause: error,
    temporary: outage,
  });
}

/** What git prints when the network or the host failed rather than the repository being absent. */
const NETWORK_FAILURE =
  /could not resolve host|connection refused|connection timed out|operation timed out|connection reset|failed to connect|early eof|remote end hung up|unable to access|rpc failed|returned error: (5\d\d|429)|gnutls|ssl|tls|network is unreachable|temporary failure in name resolution/i;
const MISSING_REPOSITORY =
  /repository not found|not found|returned error: 40[134]|does not appear to be a git repository/i;
