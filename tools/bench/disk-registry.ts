/**
 * A registry on disk laid out as curate leaves it, without a registry repository: `index/` (written and
 * signed by curator/index, as curate writes it) and `assets/` (the fs: store layout: `<tag>/<file>` plus
 * its `.sha256` sidecar). For the install and startup benchmarks, and the client tests' fixtures.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create as createTar } from 'tar';
import { digestOf } from '../../core/hash.js';
import { assetStem, releaseTag, tarballName } from '../../core/names.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { indexFromLines, writeIndexDirectory } from '../../curator/index/index-from-lines.js';
import { unpublishLine, firstLine } from '../../curator/index/line-rules.js';
import { sidecarFor } from '../../curator/stores/sidecar.js';
import type { IndexLine, Override } from '../../schema/types.js';

export interface RegistryPackage {
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

export interface DiskRegistry {
  root: string;
  indexDir: string;
  assetsDir: string;
  publicKey: string;
  privateKeyPem: string;
  lines: IndexLine[];
  /** Rewrite the index (and re-sign) with another package list; the snapshot version goes up by one. */
  publish(packages: RegistryPackage[]): Promise<void>;
  /** Unpublish one version as curate does: its line marked, its tarball and sidecar removed, the index re-signed. */
  unpublish(name: string, version: string): Promise<void>;
  snapshotVersion: number;
}

/** Build a registry under `root` holding `packages`; config.json's assetBase is `../assets` (relative to the index). */
export async function buildRegistry(
  root: string,
  packages: RegistryPackage[],
  options: { name?: string; assetBase?: string } = {},
): Promise<DiskRegistry> {
  const keys = generateKeyPair();
  const indexDir = join(root, 'index');
  const assetsDir = join(root, 'assets');
  const name = options.name ?? 'fixture';
  const registry: DiskRegistry = {
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
      for (const p of list) {
        const bytes = p.tarball ?? (await packTarball(p));
        const file = tarballName(p.name, p.version);
        const tag = releaseTag(p.name);
        const digest = digestOf(bytes);
        const sidecar = sidecarFor(file, digest.sha256);
        await mkdir(join(assetsDir, tag), { recursive: true });
        await writeFile(join(assetsDir, tag, file), bytes);
        await writeFile(join(assetsDir, tag, sidecar.fileName), sidecar.bytes);
        const override: Override | undefined =
          p.yanked || p.deprecated !== undefined
            ? { reason: 'set by the registry', ...(p.yanked ? { yanked: true } : {}), deprecated: p.deprecated }
            : undefined;
        const definition = {
          name: p.name,
          version: p.version,
          license: 'MIT',
          location: { github: `fixture/${p.name.replace(/^@|\//g, '')}` },
          ref: `v${p.version}`,
          dependencies: p.dependencies ?? {},
        };
        const artifact = { ...digest, commit: 'a'.repeat(40), asset: `${tag}/${file}` };
        registry.lines.push(firstLine(definition, override, artifact, '2024-01-01T00:00:00Z'));
      }
      await reindex();
    },
    async unpublish(name, version) {
      registry.snapshotVersion++;
      registry.lines = registry.lines.map((l) => {
        if (l.name !== name || l.version !== version) return l;
        return unpublishLine(l, 'unpublished by the registry', '2024-02-01T00:00:00Z');
      });
      const line = registry.lines.find((l) => l.name === name && l.version === version)!;
      await rm(join(assetsDir, ...line.asset.split('/')), { force: true });
      await rm(join(assetsDir, ...`${line.asset}.sha256`.split('/')), { force: true });
      await reindex();
    },
  };
  async function reindex(): Promise<void> {
    const built = await indexFromLines({
      name,
      assetBase: options.assetBase ?? '../assets',
      lines: registry.lines,
      commit: 'b'.repeat(40),
      createdAt: '2024-01-01T00:00:00Z',
      signingKey: loadPrivateKey(keys.privateKeyPem),
      previousDir: indexDir,
    });
    for (const path of built.removed) await rm(join(indexDir, path), { force: true });
    await writeIndexDirectory(indexDir, built.files);
  }
  await registry.publish(packages);
  return registry;
}

/** A real tarball of a package, laid out as the curator packs it: `<stem>-<version>/` holding the files and granary.json. */
export async function packTarball(
  p: Pick<RegistryPackage, 'name' | 'version' | 'files' | 'executables' | 'dependencies'>,
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
