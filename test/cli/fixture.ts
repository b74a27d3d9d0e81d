/** The command line run in-process against real registries on disk, for the CLI contract tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import type { KeyPair } from '../../core/signing.js';
import type { IndexLine } from '../../schema/types.js';
import { buildIndex, writeIndex } from '../client-read/build-index.js';
import { tempDir } from '../helpers/tmp.js';

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** `granary <args>` in `cwd` with `env` (a fresh cache unless it names one). */
export async function granary(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const cwd = options.cwd ?? (await tempDir('granary-cwd-'));
  const io = memoryIo({ cwd, env: { GRANARY_CACHE: join(await tempDir('granary-cache-')), ...options.env } });
  const code = await main(args, io);
  return { code, out: io.text(), err: io.err.join('') };
}

/** A signed index in a directory, as curate writes it; `files` and the key are returned to tamper with. */
export async function indexDir(
  packages: Record<string, IndexLine[]>,
  key?: KeyPair,
): Promise<{ dir: string; key: KeyPair; files: Map<string, string> }> {
  const built = await buildIndex(packages, key === undefined ? {} : { key });
  const dir = await tempDir('granary-index-');
  await writeIndex(built.files, dir);
  return { dir, key: built.key, files: built.files };
}

/** An `http://127.0.0.1:<port>/` where nothing listens: a server bound there, then closed. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok, fail) => server.close((error) => (error ? fail(error) : ok())));
  return `http://127.0.0.1:${port}/`;
}
