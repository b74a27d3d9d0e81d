/** A registry on disk built the way the curator lays it out: `index/` (signed) and `assets/` (the fs: store layout). */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create as createTar } from 'tar';
import { canonicalJson } from '../../core/canonical-json.js';
import { digestOf, sha256Hex } from '../../core/hash.js';
import { serializeIndexFile } from '../../core/index-line.js';
import { indexPath } from '../../core/index-path.js';
import { assetStem, releaseTag, tarballName } from '../../core/names.js';
import { generateKeyPair, loadPrivateKey, signBytes } from '../../core/signing.js';
import type { IndexLine, PackageSummary } from '../../schema/types.js';

export interface FixturePackage {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  /** Files of the package (granary.json is added); default: a README and an index.js. */
  files?: Record<string, string | Buffer>;
  /** Executable files (mode 0755). */
  executables?: string[];
  deprecated?: string;
  yanked?: boolean;
  /** Use these bytes as the asset instead of packing `files` (hostile tarballs). */
  tarball?: Buffer;
}

export interface FixtureRegistry {
  root: string;
  indexDir: string;
  assetsDir: string;
  publicKey: string;
  privateKeyPem: string;
  lines: IndexLine[];
  /** Rewrite the index (and re-sign) with another package list; the snapshot version goes up by one. */
  publish(packages: FixturePackage[]): Promise<void>;
  snapshotVersion: number;
}

/** Build a registry under `root` holding `packages`; config.json's assetBase is `../assets` (relative to the index). */
export async function buildRegistry(
  root: string,
  packages: FixturePackage[],
  options: { name?: string; assetBase?: string; sign?: boolean } = {},
): Promise<FixtureRegistry> {
  const keys = generateKeyPair();
  const indexDir = join(root, 'index');
  const assetsDir = join(root, 'assets');
  const registry: FixtureRegistry = {
    root,
    indexDir,
    assetsDir,
    publicKey: keys.publicKey,
    privateKeyPem: keys.privateKeyPem,
    lines: [],
    snapshotVersion: 0,
    async publish(list) {
      registry.snapshotVersion++;
      registry.lines = [];
      await rm(indexDir, { recursive: true, force: true });
      const files: Record<string, string> = {};
      const write = async (path: string, text: string): Promise<void> => {
        await mkdir(dirname(join(indexDir, path)), { recursive: true });
        await writeFile(join(indexDir, path), text);
        files[path] = sha256Hex(text);
      };
      const byName = new Map<string, IndexLine[]>();
      for (const p of list) {
        const bytes = p.tarball ?? (await packTarball(p));
        const file = tarballName(p.name, p.version);
        const tag = releaseTag(p.name);
        await mkdir(join(assetsDir, tag), { recursive: true });
        await writeFile(join(assetsDir, tag, file), bytes);
        const digest = digestOf(bytes);
        await writeFile(join(assetsDir, tag, `${file}.sha256`), `${digest.sha256}  ${file}\n`);
        const line: IndexLine = {
          name: p.name,
          version: p.version,
          dependencies: p.dependencies ?? {},
          license: 'MIT',
          sha256: digest.sha256,
          integrity: digest.integrity,
          size: digest.size,
          asset: `${tag}/${file}`,
          commit: 'a'.repeat(40),
          ref: `v${p.version}`,
          publishedAt: '2024-01-01T00:00:00Z',
          revision: 1,
          ...(p.yanked ? { yanked: true } : {}),
          ...(p.deprecated ? { deprecated: p.deprecated } : {}),
        };
        registry.lines.push(line);
        byName.set(p.name, [...(byName.get(p.name) ?? []), line]);
      }
      const summaries: PackageSummary[] = [];
      for (const [name, lines] of byName) {
        await write(indexPath(name), serializeIndexFile(lines));
        summaries.push({ name, latest: lines[lines.length - 1]!.version, versions: lines.length });
      }
      summaries.sort((a, b) => (a.name < b.name ? -1 : 1));
      await write(
        'packages.json',
        `{"format":1,"packages":[\n${summaries.map((s) => canonicalJson(s)).join(',\n')}\n]}\n`,
      );
      await write(
        'config.json',
        `${JSON.stringify({ format: 1, name: options.name ?? 'fixture', assetBase: options.assetBase ?? '../assets', publicKey: keys.publicKey }, null, 2)}\n`,
      );
      const snapshot = {
        format: 1,
        registry: options.name ?? 'fixture',
        version: registry.snapshotVersion,
        commit: 'b'.repeat(40),
        createdAt: '2024-01-01T00:00:00Z',
        files,
      };
      const snapshotText = `${JSON.stringify(JSON.parse(canonicalJson(snapshot)), null, 2)}\n`;
      await writeFile(join(indexDir, 'snapshot.json'), snapshotText);
      if (options.sign !== false)
        await writeFile(
          join(indexDir, 'snapshot.json.sig'),
          `${signBytes(Buffer.from(snapshotText), loadPrivateKey(keys.privateKeyPem))}\n`,
        );
    },
  };
  await registry.publish(packages);
  return registry;
}

/** A real tarball of a package, laid out as the curator packs it: `<stem>-<version>/` holding the files and granary.json. */
export async function packTarball(
  p: Pick<FixturePackage, 'name' | 'version' | 'files' | 'executables' | 'dependencies'>,
): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), 'granary-pack-'));
  try {
    const top = `${assetStem(p.name)}-${p.version}`;
    const files = p.files ?? {
      'README.md': `# ${p.name}\n`,
      'src/index.js': `export const version = '${p.version}';\n`,
    };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, top, path)), { recursive: true });
      await writeFile(join(work, top, path), content, { mode: p.executables?.includes(path) ? 0o755 : 0o644 });
    }
    await writeFile(
      join(work, top, 'granary.json'),
      `${JSON.stringify({ name: p.name, version: p.version, dependencies: p.dependencies ?? {} }, null, 2)}\n`,
    );
    const out = join(work, 'out.tar.gz');
    await createTar({ gzip: true, file: out, cwd: work, portable: true, mtime: new Date(0) }, [top]);
    return await readFile(out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
