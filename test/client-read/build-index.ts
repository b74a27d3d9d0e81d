/** Index files written by curator/index as curate writes them (a signed snapshot included), for reader tests. */
import { generateKeyPair, loadPrivateKey, type KeyPair } from '../../core/signing.js';
import { indexFromLines, writeIndexDirectory } from '../../curator/index/index-from-lines.js';
import type { IndexLine, Snapshot } from '../../schema/types.js';
import { line } from '../resolve/memory-registry.js';

export interface BuiltIndex {
  files: Map<string, string>;
  key: KeyPair;
  snapshot: Snapshot;
}

export interface BuildOptions {
  version?: number;
  key?: KeyPair;
  sign?: boolean;
  assetBase?: string;
  /** The key config.json advertises (default: the signing key). */
  advertisedKey?: string;
}

/** Lines per package → every index file, with snapshot.json listing their hashes and (by default) its signature. */
export function buildIndex(packages: Record<string, IndexLine[]>, options: BuildOptions = {}): BuiltIndex {
  const key = options.key ?? generateKeyPair();
  const built = indexFromLines({
    name: 'test',
    assetBase: options.assetBase ?? 'assets',
    publicKey: options.advertisedKey ?? key.publicKey,
    lines: Object.values(packages).flat(),
    describe: (l) => ({ description: `the ${l.name} package`, owners: ['octocat'] }),
    snapshot: { version: options.version ?? 1, commit: 'c'.repeat(40), createdAt: '2024-01-01T00:00:00Z' },
    signingKey: options.sign === false ? undefined : loadPrivateKey(key.privateKeyPem),
  });
  const files = new Map([...built.files].map(([path, bytes]) => [path, bytes.toString('utf8')]));
  return { files, key, snapshot: built.snapshot };
}

/** A small registry: a (two versions) depending on b. */
export function sampleIndex(options: BuildOptions = {}): BuiltIndex {
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
