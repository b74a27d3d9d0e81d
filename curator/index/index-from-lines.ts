/**
 * A whole index (every package file, packages.json, config.json, snapshot.json and its signature)
 * from index lines alone, with no registry repository: what benchmarks and fixtures serve, written
 * by the same functions as curate's index.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IndexConfig, IndexLine, PackageSummary, Snapshot } from '../../schema/types.js';
import { SIGNATURE_FILE, SNAPSHOT_FILE } from './index-files.js';
import { renderIndexFiles } from './index-state.js';
import { signedSnapshot } from './signed-snapshot.js';
import { summarize, type PublishedDescription } from './summary.js';

export interface IndexFromLines {
  /** config.json `name` and snapshot.json `registry`. */
  name: string;
  assetBase: string;
  publicKey?: string | undefined;
  /** Every line, in the order the versions were published. */
  lines: Iterable<IndexLine>;
  /** What packages.json shows of a version's definition besides its line (description, keywords, homepage, owners). */
  describe?: (
    line: IndexLine,
  ) => Pick<PublishedDescription, 'description' | 'keywords' | 'homepage' | 'owners'> | undefined;
  snapshot: Pick<Snapshot, 'version' | 'commit' | 'createdAt'>;
  /** Sign snapshot.json (snapshot.json.sig) with this key. */
  signingKey?: KeyObject | undefined;
}

export interface BuiltIndexFiles {
  /** Path → bytes of every index file. */
  files: Map<string, Buffer>;
  snapshot: Snapshot;
}

/** Every index file for `input.lines`, as curate would have written them publishing those versions in that order. */
export function indexFromLines(input: IndexFromLines): BuiltIndexFiles {
  const packages = new Map<string, Map<string, IndexLine>>();
  const summaries = new Map<string, PackageSummary>();
  for (const line of input.lines) {
    let lines = packages.get(line.name);
    if (lines === undefined) packages.set(line.name, (lines = new Map()));
    lines.set(line.version, line);
    const published = { name: line.name, version: line.version, license: line.license, ...input.describe?.(line) };
    summaries.set(line.name, summarize(summaries.get(line.name), lines.values(), line.publishedAt, published));
  }
  const config: IndexConfig = { format: 1, name: input.name, assetBase: input.assetBase };
  if (input.publicKey !== undefined) config.publicKey = input.publicKey;
  const rendered = renderIndexFiles(
    {},
    [...packages.keys()].sort().map((name) => [name, packages.get(name)!.values()] as const),
    summaries.values(),
    config,
  );
  const { snapshot, bytes, signature } = signedSnapshot(
    { registry: input.name, ...input.snapshot, files: rendered.files },
    input.signingKey,
  );
  const files = new Map(rendered.changed);
  files.set(SNAPSHOT_FILE, bytes);
  if (signature !== undefined) files.set(SIGNATURE_FILE, signature);
  return { files, snapshot };
}

/** Write index files (path → bytes) under `dir`, creating the directories they need. */
export async function writeIndexDirectory(dir: string, files: Iterable<[string, Uint8Array | string]>): Promise<void> {
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}
