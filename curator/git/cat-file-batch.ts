/** One long-lived `git cat-file --batch` process: many blob reads for the price of one spawn. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { SourceError } from '../../core/errors.js';
import { GIT_SAFE_ARGS, gitEnv, DEFAULT_GIT_TIMEOUT_MS } from './run-git.js';

interface Pending {
  resolve(value: Buffer | undefined): void;
  reject(error: Error): void;
}

/** A blob id, or `<commit or tree id>:<path>` (a path with no line breaks or NUL: each request is one line). */
const BLOB_SPEC = /^(?:[0-9a-f]{40}|[0-9a-f]{64})(?::[^\n\r\0]*)?$/;

/** Reads blobs by id or `<id>:<path>`; requests are pipelined and answered in order. */
export class CatFileBatch {
  private child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private failed: Error | undefined;

  constructor(
    private readonly repoDir: string,
    private readonly timeoutMs = DEFAULT_GIT_TIMEOUT_MS,
  ) {}

  /** The bytes of the blob `id` (or `<id>:<path>`), or undefined when there is none or it is not a blob. */
  read(id: string): Promise<Buffer | undefined> {
    if (!BLOB_SPEC.test(id))
      return Promise.reject(new TypeError(`not an object id: ${JSON.stringify(id).slice(0, 80)}`));
    if (this.failed) return Promise.reject(this.failed);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.armTimer();
      child.stdin.write(`${id}\n`);
    });
  }

  /** Stop the process; pending reads are rejected. */
  close(): void {
    this.fail(new SourceError('git cat-file was closed', { where: this.repoDir }));
    this.failed = undefined;
  }

  private start(): ChildProcessByStdio<Writable, Readable, null> {
    if (this.child) return this.child;
    const child = spawn('git', [...GIT_SAFE_ARGS, 'cat-file', '--batch'], {
      cwd: this.repoDir,
      env: gitEnv(),
      stdio: ['pipe', 'pipe', 'ignore'],
      shell: false,
    });
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stdin.on('error', () => undefined);
    child.on('error', (cause) =>
      this.fail(new SourceError(`could not run git cat-file: ${cause.message}`, { where: this.repoDir, cause })),
    );
    child.on('close', () => {
      if (this.child === child) this.child = undefined;
      if (this.queue.length > 0)
        this.fail(new SourceError('git cat-file stopped before answering', { where: this.repoDir }));
    });
    this.child = child;
    return child;
  }

  /** Keep the program alive only while answers are awaited, so a forgotten close() never hangs it. */
  private setRef(active: boolean): void {
    const child = this.child;
    if (!child) return;
    const method = active ? 'ref' : 'unref';
    child[method]();
    // The pipes are net.Sockets, which can be (un)referenced like the process.
    for (const stream of [child.stdout, child.stdin] as unknown as Array<{ ref?: () => void; unref?: () => void }>)
      stream[method]?.();
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    this.setRef(this.queue.length > 0);
    if (this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.fail(
        new SourceError(`git cat-file did not answer within ${this.timeoutMs} ms`, {
          where: this.repoDir,
          hint: 'check that the repository is local and not locked',
        }),
      );
    }, this.timeoutMs);
    this.timer.unref();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.queue.shift();
        head.resolve(undefined);
        this.armTimer();
        continue;
      }
      const [, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (!Number.isSafeInteger(size) || size < 0) {
        this.fail(
          new SourceError(`git cat-file answered something unexpected: ${JSON.stringify(header.slice(0, 80))}`, {
            where: this.repoDir,
          }),
        );
        return;
      }
      const end = newline + 1 + size;
      if (this.buffer.length < end + 1) return;
      const content = Buffer.from(this.buffer.subarray(newline + 1, end));
      this.buffer = this.buffer.subarray(end + 1);
      this.queue.shift();
      head.resolve(type === 'blob' ? content : undefined);
      this.armTimer();
    }
  }

  private fail(error: Error): void {
    this.failed = error;
    clearTimeout(this.timer);
    const child = this.child;
    this.child = undefined;
    if (child) {
      child.stdin.end();
      child.kill('SIGKILL');
    }
    this.buffer = Buffer.alloc(0);
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }
}
