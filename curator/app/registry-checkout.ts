/** A local clone of the registry for `curate`, and the fast-forward push of its index branch. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, GitError, SourceError } from '../../core/errors.js';
import { cloneRepository, fetchRefs, protocolOf, pushRefs, type RemoteOptions } from '../git/remote.js';
import { Git } from '../git/repository.js';

export interface RegistryCheckout {
  /** Clone `owner/repo` (default branch checked out, the index branch fetched when it exists); returns the directory. */
  clone(owner: string, repo: string, token: string): Promise<string>;
  /**
   * Push the local `branch` to the remote, fast-forward only; with `token`, authenticated by it (a run can
   * outlast the installation token it cloned with, which GitHub makes valid for an hour).
   */
  pushIndex(dir: string, branch: string, token?: string): Promise<void>;
  /** Remove the clone and forget its credentials. */
  release(dir: string): Promise<void>;
}

export interface GitCheckoutOptions {
  /** Where clones go (default: the system temporary directory). */
  workDir?: string;
  /** The remote for a repository (default `https://github.com/<owner>/<repo>.git`; tests pass a local bare repository). */
  remoteUrl?: (owner: string, repo: string) => string;
  /** Seconds a git command may take before it is stopped (default 300). */
  timeoutSeconds?: number;
}

/**
 * The production checkout: git over https. The installation token travels only as an
 * `http.extraheader` on the clone/fetch/push commands themselves: it is never written to
 * `.git/config`, a credential store or a log line.
 */
export function createGitCheckout(options: GitCheckoutOptions = {}): RegistryCheckout {
  const remoteUrl = options.remoteUrl ?? ((owner: string, repo: string) => `https://github.com/${owner}/${repo}.git`);
  const timeoutMs = (options.timeoutSeconds ?? 300) * 1000;
  const tokens = new Map<string, { token: string; url: string }>();

  const remote = (token: string, url: string): RemoteOptions => ({
    protocols: [protocolOf(url)],
    timeoutMs,
    config: url.startsWith('https://')
      ? [
          `http.${new URL(url).origin}/.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
        ]
      : [],
  });

  return {
    async clone(owner, repo, token) {
      const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'granary-registry-'));
      const url = remoteUrl(owner, repo);
      try {
        await cloneRepository(url, dir, ['--quiet', '--no-tags'], { ...remote(token, url), cwd: process.cwd() });
        // Local branches for every remote branch (the index branch above all), fast-forward only.
        await fetchRefs(
          new Git(dir),
          'origin',
          ['refs/heads/*:refs/heads/*'],
          ['--quiet', '--no-tags', '--update-head-ok'],
          remote(token, url),
        );
        tokens.set(dir, { token, url });
        return dir;
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw new SourceError(`could not clone ${owner}/${repo}: ${firstLine(error, token)}`, {
          where: `${owner}/${repo}`,
          hint: 'check that the app is installed on the repository with "contents: read"',
          cause: redacted(error, token),
        });
      }
    },
    async pushIndex(dir, branch, fresh) {
      const cloned = tokens.get(dir);
      if (!cloned) throw new Error(`no clone at ${dir}`);
      const known = fresh === undefined ? cloned : { ...cloned, token: fresh };
      try {
        // No `+`: the remote only moves forward; a branch that moved since the clone is refused.
        await pushRefs(
          new Git(dir),
          'origin',
          [`refs/heads/${branch}:refs/heads/${branch}`],
          ['--quiet'],
          remote(known.token, known.url),
        );
      } catch (error) {
        const text = firstLine(error, known.token);
        if (/non-fast-forward|rejected|fetch first/i.test(errorText(error))) {
          throw new ConcurrencyError(`the ${branch} branch moved while curating; nothing was overwritten`, {
            where: `${branch} branch`,
            hint: 'another curator run pushed first: run curate again (it is idempotent)',
            cause: redacted(error, known.token),
          });
        }
        throw new SourceError(`could not push the ${branch} branch: ${text}`, {
          where: `${branch} branch`,
          hint: 'the app needs "contents: write", and the branch must not be protected against the app',
          cause: redacted(error, known.token),
        });
      }
    },
    async release(dir) {
      tokens.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What git said: its standard error when it ran, else the message. */
function errorText(error: unknown): string {
  if (error instanceof GitError && error.stderr.trim() !== '') return error.stderr;
  return error instanceof Error ? error.message : String(error);
}

function firstLine(error: unknown, token: string): string {
  const text = errorText(error).split(token).join('***');
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 300) ?? 'unknown git error'
  );
}

/** Keep only a redacted message as the cause: a token must never reach a log through an error. */
function redacted(error: unknown, token: string): Error {
  return new Error(errorText(error).split(token).join('***'));
}
