/** Where the client reads a registry from: an HTTP(S) base, a directory, or a git clone's index branch. */

export interface IndexSource {
  /** For messages: the URL or path this source reads. */
  readonly description: string;
  /** Bytes of an index file (`config.json`, `pr/el/prelude`, …), or undefined when it does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
}
