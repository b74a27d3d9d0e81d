/** Gzip at a fixed level with a fixed header: no file name, mtime 0, and the same OS byte on every platform. */
import { constants, createGzip, type Gzip } from 'node:zlib';

export const GZIP_LEVEL = 9;
/** The header's OS byte, as `gzip -n` writes it on Unix; zlib would write another value on Windows. */
const OS_UNIX = 3;

/** Feed bytes in; `finish()` returns the whole .tar.gz. Refuses to grow past `maxBytes` of output. */
export class GzipWriter {
  private readonly gzip: Gzip;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private failure: Error | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly maxBytes: number,
    private readonly onTooBig: (bytes: number) => Error,
  ) {
    this.gzip = createGzip({
      level: GZIP_LEVEL,
      memLevel: 9,
      strategy: constants.Z_DEFAULT_STRATEGY,
      chunkSize: 256 * 1024,
    });
    this.gzip.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (this.bytes > this.maxBytes && !this.failure) {
        this.failure = this.onTooBig(this.bytes);
        this.gzip.destroy();
      }
      if (!this.failure) this.chunks.push(chunk);
    });
    this.done = new Promise((resolve, reject) => {
      this.gzip.on('end', resolve);
      this.gzip.on('close', () => (this.failure ? reject(this.failure) : resolve()));
      this.gzip.on('error', (e) => reject(this.failure ?? e));
    });
    this.done.catch(() => undefined);
  }

  /** Write `data`, waiting when zlib is behind. */
  async write(data: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.gzip.write(data)) {
      await new Promise<void>((resolve) => {
        const go = () => {
          this.gzip.off('drain', go);
          this.gzip.off('close', go);
          resolve();
        };
        this.gzip.on('drain', go);
        this.gzip.on('close', go);
      });
    }
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<Buffer> {
    this.gzip.end();
    await this.done;
    if (this.failure) throw this.failure;
    const out = Buffer.concat(this.chunks, this.bytes);
    out[9] = OS_UNIX;
    return out;
  }

  /** Stop early (on an error elsewhere). */
  abort(): void {
    this.gzip.destroy();
  }
}
