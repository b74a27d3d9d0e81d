/** Git for the curator: fixed argument arrays (never a shell), stdin input, extra env, and a batch blob reader. */
import { spawn } from 'node:child_process';
import { CatFileBatch } from '../git/cat-file-batch.js';
import { GranaryError, UsageError } from '../../core/errors.js';

/** Git failed in a way the curator cannot explain by its input: an environment problem. */
export class GitError extends GranaryError {
  override readonly code = 'git';
  override readonly exitCode = 2 as const;
}

// Keep a repository's own config from running programs or changing output formats.
const SAFE_ARGS = [
  '-c',
  'core.quotePath=false',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'diff.external=',
  '-c',
  'log.showSignature=false',
  '-c',
  'core.hooksPath=/dev/null',
];

export interface GitRunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes other than 0 that are answers, not failures. */
  okCodes?: number[];
}

export interface GitOutput {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** A repository the curator reads (and, through plumbing only, writes the index branch of). */
export class Git {
  constructor(readonly dir: string) {}

  /** Run `git <args>`; rejects with a GitError on a non-OK exit. */
  run(args: readonly string[], options: GitRunOptions = {}): Promise<GitOutput> {
    const okCodes = new Set([0, ...(options.okCodes ?? [])]);
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...SAFE_ARGS, ...args], {
        cwd: this.dir,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', (cause: NodeJS.ErrnoException) => {
        reject(
          cause.code === 'ENOENT'
            ? new UsageError('git is not installed or not on PATH', { hint: 'install git 2.24 or newer', cause })
            : new GitError(`could not run git: ${cause.message}`, { where: this.dir, cause }),
        );
      });
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const exit = code ?? -1;
        if (!okCodes.has(exit)) {
          reject(
            new GitError(`git ${args[0]} failed (exit ${exit}): ${stderr.trim().split('\n')[0] ?? ''}`, {
              where: this.dir,
              hint: 'check that --repo names a git repository of the registry',
            }),
          );
          return;
        }
        resolve({ stdout: Buffer.concat(out), stderr, code: exit });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }

  /** stdout as trimmed text. */
  async text(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout.toString('utf8').trim();
  }

  /** The commit `ref` points at, or undefined when the ref does not exist. */
  async resolveRef(ref: string): Promise<string | undefined> {
    const { stdout, code } = await this.run(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      { okCodes: [1, 128] },
    );
    const id = stdout.toString('utf8').trim();
    return code === 0 && /^[0-9a-f]{40}$/.test(id) ? id : undefined;
  }

  /** A reader of many blobs through one `git cat-file --batch` process. */
  blobs(): BlobReader {
    return new CatFileBatch(this.dir);
  }
}

/** Reads `<rev id>:<path>` or blob ids through one `git cat-file --batch`; close it when done. */
export type BlobReader = Pick<CatFileBatch, 'read' | 'close'>;
