/**
 * Talking to remotes: fetch, clone and push. One git process each, with only the transports the remote
 * needs; its deadline stops the whole process group, `git remote-https` and `git upload-pack` included.
 */
import type { GitProtocol } from '../../core/git/env.js';
import { gitRunner, type GitCallOptions, type GitRunner } from '../../core/git/run.js';
import type { Git } from './repository.js';

export interface RemoteOptions {
  /** Transports this call may use. */
  protocols: readonly GitProtocol[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** `-c` settings for this call only (an authorization header, a redirect policy). */
  config?: readonly string[];
}

/** The transport a remote URL or path needs: `https` for https:// URLs, `file` for file:// URLs and local paths. */
export function protocolOf(url: string): GitProtocol {
  return url.startsWith('https://') ? 'https' : 'file';
}

/** `git fetch <flags> -- <remote> <refspecs…>` into the repository. */
export async function fetchRefs(
  git: Git,
  remote: string,
  refspecs: readonly string[],
  flags: readonly string[],
  options: RemoteOptions,
): Promise<void> {
  await git.run(['fetch', ...flags, '--', remote, ...refspecs], callOptions(options));
}

/** `git push <flags> -- <remote> <refspecs…>` from the repository. */
export async function pushRefs(
  git: Git,
  remote: string,
  refspecs: readonly string[],
  flags: readonly string[],
  options: RemoteOptions,
): Promise<void> {
  await git.run(['push', ...flags, '--', remote, ...refspecs], callOptions(options));
}

/** `git clone <flags> -- <url> <dir>`, run from `cwd` (any existing directory). */
export async function cloneRepository(
  url: string,
  dir: string,
  flags: readonly string[],
  options: RemoteOptions & { cwd: string; runner?: GitRunner },
): Promise<void> {
  const runner = options.runner ?? gitRunner;
  await runner.run(options.cwd, ['clone', ...flags, '--', url, dir], callOptions(options));
}

function callOptions(options: RemoteOptions): GitCallOptions {
  return {
    protocols: options.protocols,
    timeoutMs: options.timeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.config === undefined ? {} : { config: options.config }),
  };
}
