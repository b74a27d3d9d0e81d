/**
 * A whole index (a signed TUF repository of every package file, packages.json and config.json)
 * from index lines alone, with no registry repository: what benchmarks and fixtures serve, written
 * by the same functions as curate's index.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { TrustError } from '../../core/errors.js';
import { TIMESTAMP_PATH } from '../../core/tuf-layout.js';
import { readRootFiles, verifyRootChain } from '../../core/tuf/roots.js';
import { dirname, join } from 'node:path';
import type { IndexConfig, IndexLine, PackageSummary } from '../../schema/types.js';
import { EMPTY_SOURCE, generationSource, renderIndexFiles, type PreviousIndex } from './index-state.js';
import { summarize, type PublishedDescription } from './summary.js';
import { rootBytes, singleKeyRoot } from './tuf/root.js';
import {
  openGeneration,
  writeGeneration,
  type CurrentGeneration,
  type GenerationInfo,
  type Lifetimes,
} from './tuf/repository.js';

export interface IndexFromLines {
  /** config.json `name`. */
  name: string;
  assetBase: string;
  /** Every line, in the order the versions were published. */
  lines: Iterable<IndexLine>;
  /** What packages.json shows of a version's definition besides its line (description, keywords, homepage, owners). */
  describe?: (
    line: IndexLine,
  ) => Pick<PublishedDescription, 'description' | 'keywords' | 'homepage' | 'owners'> | undefined;
  /** The main commit and time the snapshot records. */
  commit: string;
  createdAt: string;
  /** The online key (also the root key, unless `roots` are given). */
  signingKey: KeyObject;
  /** Root versions to publish (default: the single-key root of `signingKey`). */
  roots?: Buffer[];
  /** Signing time (default now). */
  now?: number;
  lifetimes?: Lifetimes;
  /** A directory holding an earlier index built this way: the new one is its next generation (versions go on). */
  previousDir?: string;
}

export interface BuiltIndexFiles {
  /** Path → bytes of every file written (every file of the repository, unless built on `previousDir`). */
  files: Map<string, Buffer>;
  /** Files of `previousDir` to remove (replaced longer than the keep period ago). */
  removed: string[];
  /** The target files by their plain paths. */
  targets: Map<string, Buffer>;
  info: GenerationInfo;
}

/** Every index file for `input.lines`, as curate would have written them publishing those versions in that order. */
export async function indexFromLines(input: IndexFromLines): Promise<BuiltIndexFiles> {
  const packages = new Map<string, Map<string, IndexLine>>();
  const summaries = new Map<string, PackageSummary>();
  for (const line of input.lines) {
    let lines = packages.get(line.name);
    if (lines === undefined) packages.set(line.name, (lines = new Map()));
    lines.set(line.version, line);
    const published = { name: line.name, version: line.version, license: line.license, ...input.describe?.(line) };
    summaries.set(line.name, summarize(summaries.get(line.name), lines.values(), line.publishedAt, published));
  }
  const config: IndexConfig = { format: 2, name: input.name, assetBase: input.assetBase };
  const current = input.previousDir === undefined ? undefined : await directoryGeneration(input.previousDir);
  const targets = await renderIndexFiles(
    current?.source ?? EMPTY_SOURCE,
    [...packages.keys()].sort().map((name) => [name, packages.get(name)!.values()] as const),
    summaries.values(),
    config,
  );
  const written = await writeGeneration({
    current: current?.generation,
    changed: targets,
    roots: input.roots ?? current?.roots ?? [rootBytes(singleKeyRoot(input.signingKey))],
    onlineKey: input.signingKey,
    commit: input.commit,
    createdAt: input.createdAt,
    now: input.now ?? Date.now(),
    ...(input.lifetimes === undefined ? {} : { lifetimes: input.lifetimes }),
  });
  const files = new Map<string, Buffer>();
  const removed: string[] = [];
  for (const [path, bytes] of written.changes)
    if (bytes === null) removed.push(path);
    else files.set(path, bytes);
  return { files, removed, targets, info: written.info };
}

/** The generation an index directory holds, verified with its own roots; undefined when it holds none. */
export async function directoryGeneration(
  dir: string,
): Promise<{ generation: CurrentGeneration; source: PreviousIndex; roots: Buffer[] } | undefined> {
  const read = (path: string) => readFile(join(dir, ...path.split('/'))).catch(() => undefined);
  if ((await read(TIMESTAMP_PATH)) === undefined) return undefined;
  const rootFiles = await readRootFiles(read);
  const chain = verifyRootChain(rootFiles.map((r) => ({ bytes: r.bytes, where: join(dir, r.path) })));
  const generation = await openGeneration(read, chain.at(-1)!, (path) => join(dir, path));
  const source = generationSource(
    generation,
    (file) =>
      new TrustError(`${file} is not the file its bin lists`, {
        where: join(dir, file),
        hint: 'the index directory was changed after it was built: build it again',
      }),
  );
  return { generation, source, roots: rootFiles.map((r) => r.bytes) };
}

/** Write index files (path → bytes) under `dir`, creating the directories they need. */
export async function writeIndexDirectory(dir: string, files: Iterable<[string, Uint8Array | string]>): Promise<void> {
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}
