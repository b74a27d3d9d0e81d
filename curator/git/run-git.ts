/** Run git with a fixed argument array (never a shell), a timeout, and bounded output. */
import { spawn } from 'node:child_process';
import { SourceError, UsageError } from '../../core/errors.js';

export const DEFAULT_GIT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 256 * 1024 * 1024;

export interface GitOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** Exit codes other than 0 that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  code: number;
}

/** Settings that keep a repository's own config from running programs or changing output formats. */
export const GIT_SAFE_ARGS = [
  '-c',
  'core.quotePath=false',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'diff.external=',
  '-c',
  'log.showSignature=false',
];

/** The environment for git: no prompts or pagers, and no inherited GIT_DIR-style variables that would point git at another repository. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
  };
  for (const key of [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_ALTERNATE_OBJECT_DIRECTORIES',
    'GIT_NAMESPACE',
    'GIT_CEILING_DIRECTORIES',
  ])
    delete env[key];
  return env;
}

/** Run `git <args>` in `repoDir`; rejects with a SourceError (or UsageError for a missing git) on failure or timeout. */
export function runGit(repoDir: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const okCodes = new Set([0, ...(options.okCodes ?? [])]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_SAFE_ARGS, ...args], {
      cwd: repoDir,
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    let size = 0;
    let failure: Error | undefined;
    const timer = setTimeout(() => {
      failure = new SourceError(`git ${args[0]} took longer than ${timeoutMs} ms and was stopped`, {
        where: repoDir,
        hint: 'check that the repository is local and not locked',
      });
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutput) {
        failure ??= new SourceError(`git ${args[0]} printed more than ${maxOutput} bytes`, { where: repoDir });
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errChunks.length < 64) errChunks.push(chunk);
    });
    child.on('error', (cause: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (cause.code === 'ENOENT') {
        reject(new UsageError('git is not installed or not on PATH', { hint: 'install git (2.24 or newer)', cause }));
      } else {
        reject(new SourceError(`could not run git: ${cause.message}`, { where: repoDir, cause }));
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      const exit = code ?? -1;
      if (!okCodes.has(exit)) {
        const stderr = Buffer.concat(errChunks).toString('utf8').trim().split('\n')[0] ?? '';
        return reject(new SourceError(`git ${args[0]} failed (exit ${exit}): ${stderr}`, { where: repoDir }));
      }
      resolve({ stdout: Buffer.concat(chunks), code: exit });
    });
  });
}
