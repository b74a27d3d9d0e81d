/** Index files built the way curate writes them (core serialization, a signed snapshot), for reader tests. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson } from '../../core/canonical-json.js';
import { sha256Hex } from '../../core/hash.js';
import { indexPath } from '../../core/index-path.js';
import { serializeIndexFile } from '../../core/index-line.js';
import { generateKeyPair, loadPrivateKey, signBytes, type KeyPair } from '../../core/signing.js';
import type { IndexLine, PackagesFile, Snapshot } from '../../schema/types.js';
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
  const files = new Map<string, string>();
  for (const [name, lines] of Object.entries(packages)) files.set(indexPath(name), serializeIndexFile(lines));
  const summaries: PackagesFile = {
    format: 1,
    packages: Object.entries(packages).map(([name, lines]) => ({
      name,
      description: `the ${name} package`,
      latest: lines.at(-1)?.version ?? null,
      versions: lines.length,
      owners: ['octocat'],
    })),
  };
  files.set(
    'config.json',
    `${canonicalJson({ format: 1, name: 'test', assetBase: options.assetBase ?? 'assets', publicKey: options.advertisedKey ?? key.publicKey })}\n`,
  );
  files.set('packages.json', `${canonicalJson(summaries)}\n`);
  const hashes: Record<string, string> = {};
  for (const [path, text] of files) hashes[path] = sha256Hex(text);
  const snapshot: Snapshot = {
    format: 1,
    registry: 'test',
    version: options.version ?? 1,
    commit: 'c'.repeat(40),
    createdAt: '2024-01-01T00:00:00Z',
    files: hashes,
  };
  const snapshotText = `${canonicalJson(snapshot)}\n`;
  files.set('snapshot.json', snapshotText);
  if (options.sign !== false)
    files.set('snapshot.json.sig', `${signBytes(Buffer.from(snapshotText), loadPrivateKey(key.privateKeyPem))}\n`);
  return { files, key, snapshot };
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
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}
