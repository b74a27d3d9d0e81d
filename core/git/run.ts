/**
 * The one place that starts git. Fixed argument arrays (never a shell), the clean environment of env.ts,
 * git found on PATH at the time of the call, each process in its own process group so that stopping it
 * also stops what it started (`git remote-https`, `git upload-pack` …), a deadline and an output cap on every call.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { GitError, UsageError } from '../errors.js';
import { gitConfigArgs, gitEnv, type GitEnvOptions } from './env.js';

export const DEFAULT_GIT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;

export interface GitStartOptions extends GitEnvOptions {
  /** More `-c` settings for this call, e.g. `http.followRedirects=false`. */
  config?: readonly string[];
}

export interface GitCallOptions extends GitStartOptions {
  /** git, and every process it started, is stopped after this long (default 30 s). */
  timeoutMs?: number;
  /** Standard output beyond this many bytes stops the call (default 256 MiB). */
  maxOutputBytes?: number;
  /** Exit codes other than 0 that are answers rather than failures (e.g. 1 for `merge-base`). */
  okCodes?: readonly number[];
  /** Standard input for git (default: none). */
  input?: string | Buffer;
  /** Stops the call when aborted. */
  signal?: AbortSignal;
  /** The fix shown when git exits with a failure. */
  hint?: string;
}

export interface GitResult {
  stdout: Buffer;
  /** The start of standard error (at most 64 KiB). */
  stderr: string;
  code: number;
}

export interface GitExit {
  code: number | null;
  stderr: string;
  /** Set when git could not be started. */
  error?: Error;
}

/** A git process that keeps running and answers requests on stdin (`cat-file --batch`). */
export interface GitProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Settles once git has exited, or could not start. */
  readonly exited: Promise<GitExit>;
  /** Stop git and every process it started. */
  kill(): void;
  /** Whether git may keep the program alive: only while answers are awaited. */
  keepAlive(active: boolean): void;
}

/** How git is run; injected so tests can watch or refuse calls. */
export interface GitRunner {
  /** Run `git <args>` in `dir` to completion; rejects with a GitError (a UsageError when git is missing). */
  run(dir: string, args: readonly string[], options?: GitCallOptions): Promise<GitResult>;
  /** Start `git <args>` in `dir` with piped stdin and stdout, for a caller that talks to it. */
  start(dir: string, args: readonly string[], options?: GitStartOptions): GitProcess;
}

/** Run `git <args>` in `dir`; rejects with a GitError on failure, timeout, too much output or abort. */
export function runGit(dir: string, args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const okCodes = new Set([0, ...(options.okCodes ?? [])]);
  const name = subcommand(args);
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new GitError(`git ${name} was cancelled`, { where: dir, reason: 'aborted' }));
      return;
    }
    const child = spawnGit(dir, args, options, options.input === undefined ? 'ignore' : 'pipe');
    const out: Buffer[] = [];
    let outBytes = 0;
    const err = boundedText();
    let settled = false;
    const finish = (error: Error | undefined, result?: GitResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(result!);
    };
    // Stopping kills the whole group and lets go of the pipes at once: a grandchild that keeps
    // stdout open must not keep the caller waiting.
    const stop = (error: GitError) => {
      if (settled) return;
      killGroup(child);
      child.stdout.destroy();
      child.stderr.destroy();
      finish(error);
    };
    const timer = setTimeout(
      () =>
        stop(
          new GitError(`git ${name} did not finish within ${duration(timeoutMs)} and was stopped`, {
            where: dir,
            reason: 'timeout',
            hint: 'check that the repository is local and not locked, and that remotes answer',
          }),
        ),
      timeoutMs,
    );
    const onAbort = () => stop(new GitError(`git ${name} was cancelled`, { where: dir, reason: 'aborted' }));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        stop(new GitError(`git ${name} printed more than ${maxOutput} bytes`, { where: dir, reason: 'output' }));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.add(chunk));
    child.on('error', (cause: NodeJS.ErrnoException) => {
      killGroup(child);
      finish(startError(cause, dir));
    });
    child.on('close', (code) => {
      const exit = code ?? -1;
      const stderr = err.text();
      if (!okCodes.has(exit)) {
        finish(
          new GitError(`git ${name} failed (exit ${exit}): ${firstLine(stderr)}`, {
            where: dir,
            reason: 'exit',
            exit,
            stderr,
            ...(options.hint === undefined ? {} : { hint: options.hint }),
          }),
        );
        return;
      }
      finish(undefined, { stdout: Buffer.concat(out, outBytes), stderr, code: exit });
    });
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

/** Start `git <args>` in `dir` with piped stdin and stdout; the caller stops it with `kill()`. */
export function startGit(dir: string, args: readonly string[], options: GitStartOptions = {}): GitProcess {
  const child = spawnGit(dir, args, options, 'pipe') as ChildProcessByStdio<Writable, Readable, Readable>;
  const err = boundedText();
  child.stderr.on('data', (chunk: Buffer) => err.add(chunk));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<GitExit>((resolve) => {
    child.once('error', (cause: NodeJS.ErrnoException) => {
      killGroup(child);
      resolve({ code: null, stderr: err.text(), error: startError(cause, dir) });
    });
    child.once('close', (code) => resolve({ code, stderr: err.text() }));
  });
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    exited,
    kill: () => killGroup(child),
    keepAlive(active) {
      const method = active ? 'ref' : 'unref';
      child[method]();
      // The pipes are sockets, which hold the event loop like the process does.
      for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as Array<{
        ref?: () => void;
        unref?: () => void;
      }>)
        stream[method]?.();
    },
  };
}

/** The runner that starts real git processes. */
export const gitRunner: GitRunner = { run: runGit, start: startGit };

function spawnGit(
  dir: string,
  args: readonly string[],
  options: GitStartOptions,
  stdin: 'pipe' | 'ignore',
): ChildProcessByStdio<Writable | null, Readable, Readable> {
  const extra = (options.config ?? []).flatMap((setting) => ['-c', setting]);
  // 'git' with the environment's PATH: resolved when the call is made, like a user's own `git`.
  const child = spawn('git', [...gitConfigArgs(options), ...extra, ...args], {
    cwd: dir,
    env: gitEnv(options),
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true,
    windowsHide: true,
    shell: false,
  });
  return child as ChildProcessByStdio<Writable | null, Readable, Readable>;
}

/** Kill git and everything in its process group (on Windows, git alone). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function startError(cause: NodeJS.ErrnoException, dir: string): Error {
  if (cause.code === 'ENOENT' && !existsSync(dir))
    return new GitError(`cannot run git in ${dir}: the directory does not exist`, {
      where: dir,
      reason: 'spawn',
      cause,
    });
  if (cause.code === 'ENOENT')
    return new UsageError('git is not installed or not on PATH', { hint: 'install git (2.30 or newer)', cause });
  return new GitError(`could not run git: ${cause.message}`, { where: dir, reason: 'spawn', cause });
}

/** The git command in `args`, past any `-c name=value` and global options: for messages. */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return args[0] ?? '';
}

function boundedText(): { add(chunk: Buffer): void; text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk) {
      if (size >= MAX_STDERR_BYTES) return;
      chunks.push(chunk.subarray(0, MAX_STDERR_BYTES - size));
      size += Math.min(chunk.length, MAX_STDERR_BYTES - size);
    },
    text: () => Buffer.concat(chunks, size).toString('utf8'),
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function duration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
