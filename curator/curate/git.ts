/** Git for the curator: fixed argument arrays (never a shell), stdin input, extra env, and a batch blob reader. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GranaryError, UsageError } from '../../core/errors.js';

/** Git failed in a way the curator cannot explain by its input: an environment problem. */
export class GitError extends GranaryError {
  override readonly code = 'git';
  override readonly exitCode = 2 as const;
}

// Keep a repository's own config from running programs or changing output formats.
const SAFE_ARGS = ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false', '-c', 'diff.external=', '-c', 'log.showSignature=false', '-c', 'core.hooksPath=/dev/null'];

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
        reject(cause.code === 'ENOENT' ? new UsageError('git is not installed or not on PATH', { hint: 'install git 2.24 or newer', cause }) : new GitError(`could not run git: ${cause.message}`, { where: this.dir, cause }));
      });
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const exit = code ?? -1;
        if (!okCodes.has(exit)) {
          reject(new GitError(`git ${args[0]} failed (exit ${exit}): ${stderr.trim().split('\n')[0] ?? ''}`, { where: this.dir, hint: 'check that --repo names a git repository of the registry' }));
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
    const { stdout, code } = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { okCodes: [1, 128] });
    const id = stdout.toString('utf8').trim();
    return code === 0 && /^[0-9a-f]{40}$/.test(id) ? id : undefined;
  }

  /** A reader of many blobs through one `git cat-file --batch` process. */
  blobs(): BlobReader {
    return new BlobReader(this.dir);
  }
}

interface Pending {
  resolve: (value: Buffer | undefined) => void;
  reject: (error: Error) => void;
}

/** Reads `<rev>:<path>` or blob ids, in order, from one long-lived `git cat-file --batch`. Close it when done. */
export class BlobReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(dir: string) {
    this.child = spawn('git', [...SAFE_ARGS, 'cat-file', '--batch'], { cwd: dir, env: { ...process.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    this.child.stderr.on('data', () => undefined);
    const fail = (error: Error) => {
      this.failed ??= error;
      for (const p of this.queue.splice(0)) p.reject(this.failed);
    };
    this.child.on('error', (cause) => fail(new GitError(`could not run git cat-file: ${cause.message}`, { where: dir, cause })));
    this.child.on('close', () => fail(new GitError('git cat-file stopped early', { where: dir })));
    this.child.stdin.on('error', () => undefined);
  }

  /** The bytes of `spec` (`<rev>:<path>` or a blob id), or undefined when it does not exist or is not a blob. */
  read(spec: string): Promise<Buffer | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\r]/.test(spec)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.child.stdin.write(`${spec}\n`);
    });
  }

  /** Stop the process; safe to call more than once. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closing = this.child.exitCode !== null || this.child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => this.child.once('close', () => r()));
      this.failed ??= new GitError('blob reader closed');
      this.child.stdin.end();
    }
    return this.closing;
  }

  private drain(): void {
    for (;;) {
      const nl = this.buffer.indexOf(10);
      if (nl < 0) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      const pending = this.queue[0];
      if (!pending) return;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.queue.shift();
        pending.resolve(undefined);
        continue;
      }
      const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
      if (!m) {
        this.queue.shift();
        pending.reject(new GitError(`unexpected output from git cat-file: ${JSON.stringify(header.slice(0, 80))}`));
        this.buffer = this.buffer.subarray(nl + 1);
        continue;
      }
      const size = Number(m[3]);
      if (this.buffer.length < nl + 1 + size + 1) return;
      const body = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size));
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.queue.shift();
      pending.resolve(m[2] === 'blob' ? body : undefined);
    }
  }
}
