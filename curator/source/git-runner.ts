/** How git is run: simple-git for commands, one `git cat-file --batch` process for blobs. Injected, so tests can watch or refuse calls. */
import { execFile, spawn } from 'node:child_process';
import { simpleGit } from 'simple-git';

export interface GitCallOptions {
  env: Record<string, string>;
  /** The whole call is killed after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface GitObject {
  id: string;
  type: string;
  data: Buffer;
}

export interface GitRunner {
  /** Run `git <args>` in `dir` through simple-git; resolves its standard output, rejects on failure, timeout or abort. */
  run(dir: string, args: string[], options: GitCallOptions): Promise<string>;
  /** Run a read-only plumbing command (`ls-tree`, `cat-file -t`) and return its raw output bytes. */
  read(dir: string, args: string[], options: GitCallOptions): Promise<Buffer>;
  /**
   * Read the objects `ids` (in that order) with one `git cat-file --batch` process. The process starts
   * at once; `ids` may still be on its way, so starting it overlaps with listing the tree.
   */
  readObjects(dir: string, ids: string[] | Promise<string[]>, options: GitCallOptions): ObjectStream;
}

/** Objects in the order asked; `close()` stops the reader early (safe to call at any time, and more than once). */
export interface ObjectStream extends AsyncIterable<GitObject> {
  close(): void;
}

/** Largest `read` output accepted (a tree listing of a huge repository). */
const MAX_READ_BYTES = 256 * 1024 * 1024;

/** Raised when a git call ran out of time; the caller turns it into a SourceError. */
export class GitTimeout extends Error {
  constructor(
    readonly args: string[],
    readonly timeoutMs: number,
  ) {
    super(`git ${args[0] ?? ''} did not finish within ${Math.round(timeoutMs / 1000)} s`);
  }
}

// simple-git keeps its unsafe-operation guards on: none of the allowUnsafe* options are set anywhere.
const FIXED_CONFIG = [
  'http.followRedirects=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'fetch.writeCommitGraph=false',
];

/** The default runner. */
export function createGitRunner(): GitRunner {
  return {
    async run(dir, args, options) {
      const { signal, dispose, timedOut } = deadline(options);
      try {
        const git = simpleGit({
          baseDir: dir,
          binary: 'git',
          maxConcurrentProcesses: 1,
          config: FIXED_CONFIG,
          abort: signal,
        }).env(options.env);
        return await git.raw(args);
      } catch (error) {
        if (timedOut()) throw new GitTimeout(args, options.timeoutMs);
        throw error;
      } finally {
        dispose();
      }
    },
    read(dir, args, options) {
      const { signal, dispose, timedOut } = deadline(options);
      return new Promise<Buffer>((resolve, reject) => {
        execFile(
          'git',
          args,
          { cwd: dir, env: options.env, encoding: 'buffer', maxBuffer: MAX_READ_BYTES, signal, windowsHide: true },
          (error, stdout, stderr) => {
            dispose();
            if (!error) return resolve(stdout);
            if (timedOut()) return reject(new GitTimeout(args, options.timeoutMs));
            reject(new Error(stderr.toString('utf8').trim() || error.message, { cause: error }));
          },
        );
      });
    },
    readObjects: (dir, ids, options) => catFileBatch(dir, ids, options),
  };
}

function deadline(options: GitCallOptions): { signal: AbortSignal; dispose(): void; timedOut(): boolean } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) controller.abort();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    },
    timedOut: () => expired,
  };
}

/** Stream objects out of `git cat-file --batch`; stdin carries only the ids we checked, one per line. */
function catFileBatch(dir: string, ids: string[] | Promise<string[]>, options: GitCallOptions): ObjectStream {
  const { signal, dispose, timedOut } = deadline(options);
  const child = spawn('git', ['cat-file', '--batch'], {
    cwd: dir,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    signal,
    windowsHide: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => void (stderr = (stderr + s).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  void exited.then(dispose);
  child.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  const asked = Promise.resolve(ids).then(
    (list) => {
      for (const id of list)
        if (!/^[0-9a-f]{40}$/.test(id)) throw new TypeError(`not an object id: ${JSON.stringify(id)}`);
      child.stdin.end(list.length === 0 ? '' : `${list.join('\n')}\n`);
      return list;
    },
    (error: unknown) => {
      child.kill();
      throw error;
    },
  );
  asked.catch(() => child.kill());

  async function* objects(): AsyncGenerator<GitObject> {
    const list = await asked;
    const parser = new BatchParser();
    let next = 0;
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        for (const object of parser.push(chunk)) {
          if (object.id !== list[next])
            throw new Error(`git cat-file answered ${object.id} where ${list[next]} was asked`);
          next++;
          yield object;
        }
      }
      const code = await exited;
      if (next !== list.length) {
        if (timedOut()) throw new GitTimeout(['cat-file'], options.timeoutMs);
        throw new Error(
          `git cat-file stopped after ${next} of ${list.length} objects (exit ${code}): ${stderr.trim()}`,
        );
      }
    } catch (error) {
      if (timedOut()) throw new GitTimeout(['cat-file'], options.timeoutMs);
      throw error;
    } finally {
      dispose();
      if (child.exitCode === null) child.kill();
    }
  }
  return {
    [Symbol.asyncIterator]: () => objects(),
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/** Incremental parser of `<id> <type> <size>\n<bytes>\n` records. */
class BatchParser {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private pending: { id: string; type: string; size: number } | undefined;

  *push(chunk: Buffer): Generator<GitObject> {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (!this.pending) {
        const head = this.peekLine();
        if (head === undefined) return;
        const m = /^([0-9a-f]{40}) (\S+) (\d+)$/.exec(head);
        if (!m) throw new Error(`unexpected git cat-file output: ${JSON.stringify(head.slice(0, 100))}`);
        this.pending = { id: m[1]!, type: m[2]!, size: Number(m[3]) };
      }
      if (this.buffered < this.pending.size + 1) return;
      const data = this.take(this.pending.size + 1).subarray(0, this.pending.size);
      const { id, type } = this.pending;
      this.pending = undefined;
      yield { id, type, data };
    }
  }

  private peekLine(): string | undefined {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [all];
    const nl = all.indexOf(0x0a);
    if (nl < 0) {
      if (all.length > 200) throw new Error('unexpected git cat-file output: header line too long');
      return undefined;
    }
    const line = all.subarray(0, nl).toString('latin1');
    if (/ missing$/.test(line)) throw new Error(`git cat-file: object ${line.split(' ')[0]} is missing`);
    this.take(nl + 1);
    return line;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}
