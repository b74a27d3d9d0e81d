/** The one reader of `git cat-file --batch`: every object a run reads from a repository, through one process. */
import { GitError, LimitError, shown } from '../errors.js';
import { isRefName, isRevisionName } from './ref-names.js';
import {
  DEFAULT_GIT_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  gitRunner,
  type GitProcess,
  type GitRunner,
  type GitStartOptions,
} from './run.js';

export interface GitObject {
  id: string;
  /** `blob`, `tree`, `commit` or `tag`. */
  type: string;
  data: Buffer;
}

export interface CatFileOptions extends GitStartOptions {
  runner?: GitRunner;
  /** Each answer must arrive within this long, or the process is stopped (default 30 s). */
  timeoutMs?: number;
  /** Objects larger than this are refused with a LimitError (default 256 MiB); `read` can lower it per object. */
  maxObjectBytes?: number;
}

export interface ReadLimits {
  maxBytes?: number;
}

interface Request {
  spec: string;
  maxBytes: number;
  resolve(value: GitObject | undefined): void;
  reject(error: Error): void;
}

interface Body {
  id: string;
  type: string;
  size: number;
  received: number;
  parts: Buffer[];
  keep: boolean;
}

const EMPTY = Buffer.alloc(0);
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+) (\d+)$/;

/**
 * Whether `spec` is an object name this reader passes to git: an object id, a plain revision or a ref name
 * (optionally peeled with `^{commit}`, `^{tree}` or `^{blob}`), optionally followed by `:<path>`
 * (a path with no line breaks or NUL: each request is one line).
 */
export function isObjectSpec(spec: unknown): spec is string {
  if (typeof spec !== 'string') return false;
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).replace(/\^\{(?:commit|tree|blob)\}$/, '');
  if (colon >= 0 && /[\n\r\0]/.test(spec.slice(colon + 1))) return false;
  return OBJECT_ID.test(name) || isRevisionName(name) || (isRefName(name) && !name.startsWith('-'));
}

/** Reads objects by id, revision or `<rev>:<path>`; requests are pipelined and answered in order. */
export class CatFile {
  private process: GitProcess | undefined;
  private readonly queue: Request[] = [];
  private header: Buffer = EMPTY;
  private body: Body | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failed: Error | undefined;

  constructor(
    readonly dir: string,
    private readonly options: CatFileOptions = {},
  ) {}

  /** The object `spec` names, or undefined when there is none. */
  object(spec: string, limits: ReadLimits = {}): Promise<GitObject | undefined> {
    if (!isObjectSpec(spec)) return Promise.reject(new TypeError(`not an object name: ${shown(spec)}`));
    if (this.failed) return Promise.reject(this.failed);
    let child: GitProcess;
    try {
      child = this.start();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        spec,
        maxBytes: limits.maxBytes ?? this.options.maxObjectBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        resolve,
        reject,
      });
      this.armTimer();
      child.stdin.write(`${spec}\n`);
    });
  }

  /** The bytes of the blob `spec` names, or undefined when there is none or it is not a blob. */
  async read(spec: string, limits: ReadLimits = {}): Promise<Buffer | undefined> {
    const object = await this.object(spec, limits);
    return object?.type === 'blob' ? object.data : undefined;
  }

  /** The id of the commit `rev` names (tags peeled), or undefined when it names none. */
  async commitId(rev: string): Promise<string | undefined> {
    return (await this.object(`${rev}^{commit}`))?.id;
  }

  /** Stop the process (and anything it started); pending reads are rejected. A later read starts a new one. */
  close(): void {
    this.fail(new GitError('git cat-file was closed', { where: this.dir, reason: 'aborted' }));
    this.failed = undefined;
  }

  private start(): GitProcess {
    if (this.process) return this.process;
    const { runner = gitRunner, timeoutMs: _timeout, maxObjectBytes: _max, ...startOptions } = this.options;
    const child = runner.start(this.dir, ['cat-file', '--batch'], startOptions);
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.process === child) this.onData(chunk);
    });
    void child.exited.then(({ code, stderr, error }) => {
      if (this.process !== child) return;
      this.process = undefined;
      this.header = EMPTY;
      this.body = undefined;
      if (this.queue.length === 0) return;
      this.fail(
        error ??
          new GitError(`git cat-file stopped before answering (exit ${code ?? 'by signal'}): ${firstLine(stderr)}`, {
            where: this.dir,
            reason: 'exit',
            ...(code === null ? {} : { exit: code }),
            stderr,
          }),
      );
    });
    this.process = child;
    return child;
  }

  /** Keep a deadline only while answers are awaited, and the program alive only then, so a forgotten close() never hangs it. */
  private armTimer(): void {
    clearTimeout(this.timer);
    this.process?.keepAlive(this.queue.length > 0);
    if (this.queue.length === 0) return;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    this.timer = setTimeout(() => {
      this.fail(
        new GitError(`git cat-file did not answer within ${timeoutMs} ms and was stopped`, {
          where: this.dir,
          reason: 'timeout',
          hint: 'check that the repository is local and not locked',
        }),
      );
    }, timeoutMs);
    this.timer.unref();
  }

  /** Parse `<id> <type> <size>\n<bytes>\n` and `<name> missing\n` answers; bodies are collected without copying until complete. */
  private onData(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      const body = this.body;
      if (body) {
        const part = data.subarray(0, body.size + 1 - body.received);
        data = data.subarray(part.length);
        body.received += part.length;
        if (body.keep) body.parts.push(part);
        if (body.received <= body.size) return;
        this.body = undefined;
        const request = this.queue.shift()!;
        if (body.keep) {
          const bytes = Buffer.concat(body.parts, body.size + 1).subarray(0, body.size);
          request.resolve({ id: body.id, type: body.type, data: bytes });
        } else {
          request.reject(
            new LimitError(`${shown(request.spec)} is larger than ${request.maxBytes} bytes (${body.size})`, {
              where: this.dir,
            }),
          );
        }
        this.armTimer();
        continue;
      }
      this.header = this.header.length === 0 ? data : Buffer.concat([this.header, data]);
      const newline = this.header.indexOf(10);
      if (newline < 0) {
        if (this.header.length > 8192) this.fail(this.unexpected(this.header.subarray(0, 80).toString('utf8')));
        return;
      }
      const line = this.header.subarray(0, newline).toString('utf8');
      data = this.header.subarray(newline + 1);
      this.header = EMPTY;
      const request = this.queue[0];
      if (!request) {
        this.fail(this.unexpected(line));
        return;
      }
      if (line.endsWith(' missing') || line.endsWith(' ambiguous')) {
        this.queue.shift();
        request.resolve(undefined);
        this.armTimer();
        continue;
      }
      const match = HEADER.exec(line);
      if (!match) {
        this.fail(this.unexpected(line));
        return;
      }
      const size = Number(match[3]);
      this.body = { id: match[1]!, type: match[2]!, size, received: 0, parts: [], keep: size <= request.maxBytes };
    }
  }

  private unexpected(line: string): GitError {
    return new GitError(`git cat-file answered something unexpected: ${shown(line)}`, {
      where: this.dir,
      reason: 'exit',
    });
  }

  private fail(error: Error): void {
    this.failed = error;
    clearTimeout(this.timer);
    const child = this.process;
    this.process = undefined;
    this.header = EMPTY;
    this.body = undefined;
    if (child) {
      child.stdin.end();
      child.kill();
    }
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}
