/** Stream one asset (HTTP(S) or disk) through SHA-256 and a byte count, refusing it as soon as it breaks its size. */
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { IntegrityError } from '../../core/errors.js';
import { StreamingDigest, type Digest } from '../../core/hash.js';
import { DownloadError } from './download-error.js';
import { isHttpUrl, directoryOf } from './asset-path.js';
import { withRetries, TransientError, type RetryOptions } from './retry.js';

/** The bytes an asset must have, as the index (or a lockfile) records them. */
export interface ExpectedAsset {
  /** `name@version`, for messages. */
  label: string;
  /** An HTTP(S) URL, a `file://` URL or a path. */
  location: string;
  sha256: string;
  size: number;
}

/** Where verified bytes go; `reset` is called before a retry starts over. */
export interface ChunkSink {
  write(chunk: Buffer): void | Promise<void>;
  reset(): void | Promise<void>;
}

export interface ReadOptions extends RetryOptions {
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
  /** Give up on an HTTP response that sends nothing for this long (default 30 s). */
  idleTimeoutMs?: number;
  /**
   * Give up on a download that has not finished after this long plus the time its size takes at
   * `minBytesPerSecond` (defaults 30 s and 16 KiB/s): a server trickling bytes cannot hold a client forever.
   */
  deadlineBaseMs?: number;
  minBytesPerSecond?: number;
  /** Relative paths are resolved against this. */
  cwd?: string;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_DEADLINE_BASE_MS = 30_000;
const DEFAULT_MIN_BYTES_PER_SECOND = 16 * 1024;

/** How long a download of `size` bytes may take in all, by the rules of `ReadOptions`. */
export function downloadDeadlineMs(size: number, options: ReadOptions = {}): number {
  const rate = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
  return (options.deadlineBaseMs ?? DEFAULT_DEADLINE_BASE_MS) + Math.ceil((size / rate) * 1000);
}

/** Read `expected.location` into `sink`, checking size as it goes and size + SHA-256 at the end. */
export async function readVerified(
  expected: ExpectedAsset,
  sink: ChunkSink,
  options: ReadOptions = {},
): Promise<Digest> {
  if (!isHttpUrl(expected.location)) return readFile(expected, sink, options.cwd ?? process.cwd());
  return withRetries(
    async (attempt) => {
      if (attempt > 0) await sink.reset();
      return readHttp(expected, sink, options);
    },
    (last, attempts) =>
      new DownloadError(`download failed after ${attempts} attempts: ${last.message}`, last.status, {
        where: expected.location,
        hint: 'the server is failing or unreachable; try again later, or use a mirror with --assets',
        cause: last,
        temporary: true,
      }),
    options,
  );
}

async function readHttp(expected: ExpectedAsset, sink: ChunkSink, options: ReadOptions): Promise<Digest> {
  const url = expected.location;
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new TransientError(`no data for ${idleMs} ms`)), idleMs);
  };
  arm();
  const deadlineMs = downloadDeadlineMs(expected.size, options);
  const deadline = setTimeout(
    () =>
      controller.abort(
        new TransientError(
          `the download of ${expected.size} bytes did not finish within ${Math.round(deadlineMs / 1000)} s`,
        ),
      ),
    deadlineMs,
  );
  try {
    let response: Response;
    try {
      // identity: a server that gzips the .tar.gz again would change the bytes we hash.
      response = await (options.fetch ?? globalThis.fetch)(url, {
        signal: controller.signal,
        headers: { 'accept-encoding': 'identity' },
      });
    } catch (cause) {
      throw transient(controller, cause);
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      throw new DownloadError(
        `the asset of ${expected.label} is not there (HTTP ${response.status})`,
        response.status,
        {
          where: url,
          hint: 'the registry or mirror is missing this asset; try the registry itself, or ask its operators',
        },
      );
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      await response.body?.cancel();
      throw new TransientError(`HTTP ${response.status}`, response.status);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new DownloadError(
        `the asset of ${expected.label} could not be downloaded (HTTP ${response.status})`,
        response.status,
        { where: url },
      );
    }
    const declared = response.headers.get('content-length');
    if (declared !== null && Number(declared) > expected.size) {
      await response.body.cancel();
      throw tooLarge(expected, Number(declared));
    }
    const digest = new StreamingDigest();
    try {
      for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
        // Some runtimes keep delivering a body after its request was aborted: stop at the next chunk.
        if (controller.signal.aborted) throw controller.signal.reason;
        arm();
        await accept(expected, digest, sink, chunk as Buffer);
      }
    } catch (cause) {
      if (cause instanceof IntegrityError) {
        controller.abort();
        throw cause;
      }
      throw transient(controller, cause);
    }
    return finish(expected, digest);
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
  }
}

async function readFile(expected: ExpectedAsset, sink: ChunkSink, cwd: string): Promise<Digest> {
  const path = directoryOf(expected.location, cwd);
  const digest = new StreamingDigest();
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) await accept(expected, digest, sink, chunk as Buffer);
  } catch (cause) {
    stream.destroy();
    if (cause instanceof IntegrityError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DownloadError(`the asset of ${expected.label} is not there`, 404, {
        where: path,
        hint: 'the registry or mirror directory is missing this asset',
        cause,
      });
    throw new DownloadError(`the asset of ${expected.label} could not be read (${code ?? String(cause)})`, undefined, {
      where: path,
      cause,
    });
  }
  return finish(expected, digest);
}

async function accept(expected: ExpectedAsset, digest: StreamingDigest, sink: ChunkSink, chunk: Buffer): Promise<void> {
  if (digest.size + chunk.byteLength > expected.size) throw tooLarge(expected, digest.size + chunk.byteLength);
  digest.update(chunk);
  await sink.write(chunk);
}

function finish(expected: ExpectedAsset, digest: StreamingDigest): Digest {
  const result = digest.finish();
  if (result.size !== expected.size) {
    throw new IntegrityError(
      `the asset of ${expected.label} has ${result.size} bytes, but the index records ${expected.size}`,
      {
        where: expected.location,
        hint: 'the asset was truncated or replaced; do not use it, and tell the registry operators if it persists',
      },
    );
  }
  if (result.sha256 !== expected.sha256) {
    throw new IntegrityError(
      `integrity check failed for ${expected.label}: expected sha256 ${expected.sha256}, got ${result.sha256}`,
      {
        where: expected.location,
        hint: 'the asset was changed after it was published; nothing was installed from it. Tell the registry or mirror operators',
      },
    );
  }
  return result;
}

function tooLarge(expected: ExpectedAsset, seen: number): IntegrityError {
  return new IntegrityError(
    `the asset of ${expected.label} is larger than the ${expected.size} bytes the index records (refused at ${seen} bytes)`,
    {
      where: expected.location,
      hint: 'the asset was replaced after it was published; nothing was installed from it',
    },
  );
}

function transient(controller: AbortController, cause: unknown): TransientError {
  if (controller.signal.aborted && controller.signal.reason instanceof TransientError) return controller.signal.reason;
  const message =
    cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
  return new TransientError(message, undefined, cause);
}
