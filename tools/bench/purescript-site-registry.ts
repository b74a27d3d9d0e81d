/**
 * The converted PureScript registry (purescript-index.ts) as a site builder reads it: a signed index on
 * disk and a real tarball for the version each package page is about (its latest, else its newest not
 * unpublished), packed by the curator's packer. The snapshot has no package contents, so each of those
 * tarballs holds a README written from the package's own facts (about 3 KB of Markdown: headings, an
 * install block, a table of dependencies, links and a badge), a module and a test; their index lines
 * carry the packed tarball's digest and size. The other versions keep the snapshot's digests and have no
 * tarball: the site reads none of them. `publish` adds one version the way curate does (the index
 * opened, the line set, the changed files signed as the next generation).
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson } from '../../core/canonical-json.js';
import { gitBlobId } from '../../core/git/blob-id.js';
import { parseIndexFile, serializeIndexFile } from '../../core/index-line.js';
import { indexPath } from '../../core/index-path.js';
import { registryConfigFrom } from '../../core/registry-config.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { compareVersions } from '../../core/versions.js';
import { latestVersion } from '../../client/info.js';
import { directoryGeneration, writeIndexDirectory } from '../../curator/index/index-from-lines.js';
import { IndexState } from '../../curator/index/index-state.js';
import { rootBytes, singleKeyRoot } from '../../curator/index/tuf/root.js';
import { writeGeneration } from '../../curator/index/tuf/repository.js';
import { packSource } from '../../curator/pack/pack.js';
import type { FetchedSource } from '../../curator/source/fetch-source.js';
import type { IndexConfig, IndexLine, PackageDefinition, PackagesFile } from '../../schema/types.js';
import { buildPurescriptIndex, loadPurescriptData, PURESCRIPT_INDEX_COMMIT } from './purescript-index.js';

/** Where the index and the tarballs are, relative to the registry's directory. */
const INDEX = 'index';
const ASSETS = 'assets';
const CONFIG: IndexConfig = { format: 2, name: 'purescript (converted)', assetBase: `../${ASSETS}` };
const PACK_REGISTRY = registryConfigFrom({ name: 'purescript' });

export interface SiteRegistry {
  /** The index directory (`--registry`). */
  indexDir: string;
  /** The key its root pins (`--trust-key`). */
  publicKey: string;
  /** Tarballs packed (one per package with a version to show). */
  tarballs: number;
  /** Publish the next major version of `name` (its shown version's files and dependencies) as the next generation; its version. */
  publish(name: string, at: string): Promise<string>;
}

/** Build the registry under `dir` (which the caller removes) from the snapshot in `dataDir`. */
export async function buildSiteRegistry(dir: string, dataDir: string): Promise<SiteRegistry> {
  const built = buildPurescriptIndex(await loadPurescriptData(dataDir));
  const packages = JSON.parse(built.files.get('packages.json')!) as PackagesFile;
  const summaries = new Map(packages.packages.map((p) => [p.name, p]));
  const targets = new Map<string, Buffer>();
  const shown = new Map<string, IndexLine>();
  const highest = new Map<string, string>();
  let tarballs = 0;
  for (const summary of packages.packages) {
    const path = indexPath(summary.name);
    const lines = parseIndexFile(built.files.get(path)!, path, summary.name);
    highest.set(
      summary.name,
      lines
        .map((l) => l.version)
        .sort(compareVersions)
        .at(-1)!,
    );
    const line = shownLine(lines);
    if (line !== undefined) {
      const packed = await packTarball(dir, line, summary.description);
      Object.assign(line, packed);
      shown.set(line.name, line);
      tarballs++;
    }
    targets.set(path, Buffer.from(serializeIndexFile(lines)));
  }
  targets.set('config.json', Buffer.from(`${canonicalJson(CONFIG)}\n`));
  targets.set('packages.json', Buffer.from(built.files.get('packages.json')!));

  const keys = generateKeyPair();
  const key = loadPrivateKey(keys.privateKeyPem);
  // Signed now: a timestamp lives a day, and the client checks it.
  const now = Date.now();
  const first = await writeGeneration({
    current: undefined,
    changed: targets,
    roots: [rootBytes(singleKeyRoot(key))],
    onlineKey: key,
    commit: PURESCRIPT_INDEX_COMMIT,
    createdAt: new Date(now).toISOString(),
    now,
  });
  const indexDir = join(dir, INDEX);
  await writeIndexDirectory(
    indexDir,
    [...first.changes].flatMap(([p, b]) => (b === null ? [] : [[p, b] as const])),
  );

  return {
    indexDir,
    publicKey: keys.publicKey,
    tarballs,
    async publish(name, at) {
      const base = shown.get(name);
      if (base === undefined) throw new Error(`${name} has no version to copy`);
      const version = `${Number(highest.get(name)!.split('.')[0]) + 1}.0.0`;
      const summary = summaries.get(name);
      const { history: _history, yanked: _yanked, deprecated: _deprecated, ...rest } = base;
      const line: IndexLine = {
        ...rest,
        version,
        asset: `${name}/${version}.tar.gz`,
        ref: `v${version}`,
        publishedAt: at,
        revision: 1,
      };
      Object.assign(line, await packTarball(dir, line, summary?.description));
      const definition: PackageDefinition = {
        name,
        version,
        license: line.license,
        location: { github: `purescript/purescript-${name}` },
        ref: line.ref,
        dependencies: line.dependencies,
        ...(summary?.description ? { description: summary.description } : {}),
        ...(summary?.owners ? { owners: summary.owners } : {}),
      };
      await nextGeneration(indexDir, line, definition, key, Date.parse(at));
      highest.set(name, version);
      shown.set(name, line);
      return version;
    },
  };
}

/** The version a package page is about: the latest, else the newest not unpublished (as the site chooses). */
function shownLine(lines: IndexLine[]): IndexLine | undefined {
  return latestVersion(lines) ?? [...lines].reverse().find((l) => !l.unpublished);
}

/** Pack `line`'s tarball with the real packer from an in-memory source, and store it where the index says. */
async function packTarball(
  dir: string,
  line: IndexLine,
  description: string | undefined,
): Promise<Pick<IndexLine, 'sha256' | 'integrity' | 'size' | 'contentHash'>> {
  const files = sourceFiles(line, description);
  const definition: PackageDefinition = {
    name: line.name,
    version: line.version,
    license: line.license,
    location: { github: `purescript/purescript-${line.name}` },
    ref: line.ref,
    dependencies: line.dependencies,
  };
  const packed = await packSource(definition, memorySource(files, line.commit), { registry: PACK_REGISTRY });
  const target = join(dir, ASSETS, ...line.asset.split('/'));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, packed.bytes);
  return { sha256: packed.sha256, integrity: packed.integrity, size: packed.size, contentHash: packed.contentHash };
}

/** A source tree held in memory, shaped like a fetched git tree. */
function memorySource(files: Record<string, string>, commit: string): FetchedSource {
  const blobs = new Map<string, Buffer>();
  const entries = Object.entries(files).map(([path, text]) => {
    const data = Buffer.from(text, 'utf8');
    const id = gitBlobId(data);
    blobs.set(id, data);
    return { path, mode: '100644', kind: 'file' as const, id, size: data.length };
  });
  return {
    url: 'memory',
    commit,
    entries,
    async *readBlobs(ids) {
      for (const id of ids) yield { id, type: 'blob', data: blobs.get(id)! };
    },
    dispose: async () => undefined,
  };
}

const capitalized = (s: string) => s.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** README.md, a module and a test for `line`: text a README of this registry typically holds. */
function sourceFiles(line: IndexLine, description: string | undefined): Record<string, string> {
  const module = capitalized(line.name);
  const deps = Object.entries(line.dependencies);
  const table = deps.length
    ? ['| package | range |', '| --- | --- |', ...deps.map(([n, r]) => `| \`${n}\` | \`${r}\` |`)].join('\n')
    : 'This package has no dependencies.';
  const readme = `# purescript-${line.name}

[![Latest release](https://img.shields.io/github/v/release/purescript/purescript-${line.name}.svg)](https://github.com/purescript/purescript-${line.name}/releases)
[![Build status](https://github.com/purescript/purescript-${line.name}/workflows/CI/badge.svg?branch=main)](https://github.com/purescript/purescript-${line.name}/actions)

${description ?? `The ${line.name} library.`}

## Installation

\`\`\`sh
granary install ${line.name}
\`\`\`

## Usage

Import the module and use its functions:

\`\`\`purescript
module Main where

import Prelude
import Effect (Effect)
import Effect.Console (log)
import Data.${module} as ${module.slice(0, 12)}

main :: Effect Unit
main = do
  log "Hello from ${line.name}"
  log $ show (${module.slice(0, 12)}.example 42)
\`\`\`

The functions of \`Data.${module}\` are *total*: none of them throws, and each one is **stack-safe** for
inputs of any size. See [the documentation](https://pursuit.purescript.org/packages/purescript-${line.name}) for
every function, with its type and an example, and [the changelog](CHANGELOG.md) for what changed.

## Dependencies

${table}

## Contributing

1. Read the [contributing guide](https://github.com/purescript/purescript-${line.name}/blob/main/CONTRIBUTING.md).
2. Open an issue before a large change, so we can discuss its design.
3. Run \`spago test\` before sending a pull request.

> Questions? Ask on [Discourse](https://discourse.purescript.org/) or in the chat.

## License

${line.license}. See [LICENSE](LICENSE).
`;
  const source = `module Data.${module} where\n\nimport Prelude\n\n${Array.from(
    { length: 12 },
    (_, i) => `-- | Example ${i}.\nexample${i || ''} :: Int -> Int\nexample${i || ''} n = n + ${i}\n`,
  ).join('\n')}`;
  const test = `module Test.Main where\n\nimport Prelude\nimport Effect (Effect)\nimport Test.Assert (assert)\nimport Data.${module} (example)\n\nmain :: Effect Unit\nmain = assert (example 1 == 1)\n`;
  return { 'README.md': readme, [`src/Data/${module}.purs`]: source, 'test/Main.purs': test };
}

/** The next generation of the index in `dir` with `line` published, as curate writes it. */
async function nextGeneration(
  dir: string,
  line: IndexLine,
  definition: PackageDefinition,
  key: KeyObject,
  at: number,
): Promise<void> {
  const previous = await directoryGeneration(dir);
  if (previous === undefined) throw new Error(`no index in ${dir}`);
  const state = new IndexState(previous.source);
  await state.setLine(line, line.publishedAt, definition);
  const written = await writeGeneration({
    current: previous.generation,
    changed: await state.render(CONFIG),
    roots: previous.roots,
    onlineKey: key,
    commit: PURESCRIPT_INDEX_COMMIT,
    createdAt: new Date(at).toISOString(),
    now: at,
  });
  for (const [path, bytes] of written.changes)
    if (bytes === null) await rm(join(dir, path), { force: true });
    else {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), bytes);
    }
}
