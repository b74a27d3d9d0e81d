/** Index files written by curator/index as curate writes them (a signed TUF repository), for reader tests. */
import { generateKeyPair, loadPrivateKey, type KeyPair } from '../../core/signing.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { indexFromLines, writeIndexDirectory, type BuiltIndexFiles } from '../../curator/index/index-from-lines.js';
import type { Lifetimes } from '../../curator/index/tuf/repository.js';
import type { IndexLine, Snapshot } from '../../schema/types.js';
import { line } from '../resolve/memory-registry.js';

export interface BuiltIndex {
  files: Map<string, string>;
  key: KeyPair;
  snapshot: Snapshot;
}

export interface BuildOptions {
  key?: KeyPair;
  assetBase?: string;
  /** Signing time (default now). */
  now?: number;
}

/** Lines per package → every file of a signed TUF index (single-key root), as curate writes them. */
export async function buildIndex(
  packages: Record<string, IndexLine[]>,
  options: BuildOptions = {},
): Promise<BuiltIndex> {
  const key = options.key ?? generateKeyPair();
  const built = await indexFromLines({
    name: 'test',
    assetBase: options.assetBase ?? 'assets',
    lines: Object.values(packages).flat(),
    describe: (l) => ({ description: `the ${l.name} package`, owners: ['octocat'] }),
    commit: 'c'.repeat(40),
    createdAt: '2024-01-01T00:00:00Z',
    signingKey: loadPrivateKey(key.privateKeyPem),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const files = new Map([...built.files].map(([path, bytes]) => [path, bytes.toString('utf8')]));
  return {
    files,
    key,
    snapshot: { version: built.info.version, commit: built.info.commit, createdAt: built.info.createdAt },
  };
}

/** A small registry: a (two versions) depending on b. */
export function sampleIndex(options: BuildOptions = {}): Promise<BuiltIndex> {
  return buildIndex(
    {
      a: [line('a', '1.0.0', { dependencies: { b: '^1.0.0' } }), line('a', '1.1.0', { dependencies: { b: '^1.0.0' } })],
      b: [line('b', '1.0.0'), line('b', '1.2.0')],
    },
    options,
  );
}

export async function writeIndex(files: Map<string, string>, dir: string): Promise<void> {
  await writeIndexDirectory(dir, files);
}

/**
 * Write the next generation of the index in `dir` (the first when it holds none), as curate would:
 * versions go on, replaced files stay until the keep period is over.
 */
export async function writeGeneration(
  dir: string,
  packages: Record<string, IndexLine[]>,
  options: { key: KeyPair; now?: number; lifetimes?: Lifetimes },
): Promise<BuiltIndexFiles> {
  const built = await indexFromLines({
    name: 'test',
    assetBase: 'assets',
    lines: Object.values(packages).flat(),
    commit: 'c'.repeat(40),
    createdAt: '2024-01-01T00:00:00Z',
    signingKey: loadPrivateKey(options.key.privateKeyPem),
    previousDir: dir,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.lifetimes === undefined ? {} : { lifetimes: options.lifetimes }),
  });
  for (const path of built.removed) await rm(join(dir, path), { force: true });
  await writeIndexDirectory(dir, built.files);
  return built;
}
