import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { parseLockfile } from '../../client/lockfile.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';
import { rawTarGz, type RawEntry } from '../extract/raw-tar.js';
import { buildRegistry, type FixturePackage, type FixtureRegistry } from './fixture-registry.js';

const servers: StaticServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const basePackages: FixturePackage[] = [
  {
    name: 'app',
    version: '1.0.0',
    dependencies: { lib: '^1.0.0' },
    files: { 'main.js': 'app 1.0.0\n', 'bin/app': '#!/bin/sh\n' },
    executables: ['bin/app'],
  },
  { name: 'lib', version: '1.0.0', files: { 'lib.js': 'lib 1.0.0\n' } },
  {
    name: 'lib',
    version: '1.1.0',
    dependencies: { util: '>=2.0.0' },
    files: { 'lib.js': 'lib 1.1.0\n' },
    deprecated: 'use lib 2',
  },
  { name: 'lib', version: '2.0.0', files: { 'lib.js': 'lib 2.0.0\n' } },
  { name: 'util', version: '2.0.0', files: { 'util.js': 'util\n' } },
  { name: '@acme/tool', version: '0.1.0', files: { 'tool.js': 'tool\n' } },
  { name: 'other', version: '1.0.0', files: { 'other.js': 'other\n' } },
];

interface World {
  work: string;
  project: string;
  cache: string;
  registry: FixtureRegistry;
  server: StaticServer;
  url: string;
  run(args: string[]): Promise<{ code: number; out: string; err: string; json: any }>;
}

async function world(packages: FixturePackage[] = basePackages): Promise<World> {
  const work = await tempDir();
  const registry = await buildRegistry(join(work, 'registry'), packages);
  const server = await serveDirectory(join(work, 'registry'));
  servers.push(server);
  const project = join(work, 'project');
  await mkdir(project);
  const cache = join(work, 'cache');
  return {
    work,
    project,
    cache,
    registry,
    server,
    url: `${server.url}/index`,
    async run(args) {
      const io = memoryIo({ cwd: project });
      const code = await main([...args, '--cache', cache], io);
      const out = io.text();
      let json: unknown;
      if (args.includes('--json')) json = JSON.parse(out);
      return { code, out, err: io.err.join(''), json };
    },
  };
}

/** Every file under `dir` with its bytes, for "nothing changed" checks. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else
        out[relative(dir, path)] = entry.isFile()
          ? (await readFile(path)).toString('base64')
          : `<${entry.isSymbolicLink() ? 'link' : 'other'}>`;
    }
  };
  if (existsSync(dir)) await walk(dir);
  return out;
}

const assetPath = (name: string, version: string): string =>
  `/assets/${name}/${name.replace('@', '').replace('/', '_')}-${version}.tar.gz`;

describe('granary install (end to end, loopback HTTP registry)', () => {
  it('installs packages with their dependencies, pins the key, and writes a stable lockfile', async () => {
    const w = await world();
    const r = await w.run([
      'install',
      'app',
      '@acme/tool@^0.1.0',
      '--registry',
      w.url,
      '--trust-key',
      w.registry.publicKey,
      '--json',
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.json.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`).sort()).toEqual([
      '@acme/tool@0.1.0',
      'app@1.0.0',
      'lib@1.1.0',
      'util@2.0.0',
    ]);
    expect(r.json.warnings).toEqual(['lib@1.1.0 is deprecated: use lib 2']);
    const pkgs = join(w.project, 'granary_packages');
    expect(await readFile(join(pkgs, 'lib', 'lib.js'), 'utf8')).toBe('lib 1.1.0\n');
    expect(await readFile(join(pkgs, '@acme', 'tool', 'tool.js'), 'utf8')).toBe('tool\n');
    expect(JSON.parse(await readFile(join(pkgs, 'app', 'granary.json'), 'utf8')).name).toBe('app');
    expect((await stat(join(pkgs, 'app', 'bin', 'app'))).mode & 0o777).toBe(0o755);

    const text = await readFile(join(w.project, 'granary.lock'), 'utf8');
    const lock = parseLockfile(text, 'granary.lock');
    expect(lock).toMatchObject({
      lockfileVersion: 1,
      registry: w.url,
      publicKey: w.registry.publicKey,
      snapshotVersion: 1,
      requests: { app: '^1.0.0', '@acme/tool': '^0.1.0' },
    });
    expect(await readFile(join(w.project, 'granary.yaml'), 'utf8')).toBe(
      'dependencies:\n  "@acme/tool": ^0.1.0\n  app: ^1.0.0\n',
    );
    const libLine = w.registry.lines.find((l) => l.name === 'lib' && l.version === '1.1.0')!;
    expect(lock.packages.lib).toEqual({
      version: '1.1.0',
      asset: libLine.asset,
      url: `${w.server.url}/assets/${libLine.asset}`,
      size: libLine.size,
      sha256: libLine.sha256,
      integrity: libLine.integrity,
      dependencies: { util: '>=2.0.0' },
    });
    expect(Object.keys(lock.packages)).toEqual(['@acme/tool', 'app', 'lib', 'util']);
    expect(text.endsWith('}\n')).toBe(true);
    for (const p of ['app', 'lib', 'util'])
      expect(w.server.count(assetPath(p, p === 'lib' ? '1.1.0' : p === 'app' ? '1.0.0' : '2.0.0'))).toBe(1);

    // The same request again: nothing downloaded, nothing extracted, the lockfile byte-for-byte the same.
    const again = await w.run(['install', 'app', '@acme/tool@^0.1.0', '--registry', w.url, '--json']);
    expect(again.code, again.out).toBe(0);
    expect(again.json.packages.every((p: { status: string }) => p.status === 'unchanged')).toBe(true);
    expect(again.json.lockfileStatus).toBe('unchanged');
    expect(await readFile(join(w.project, 'granary.lock'), 'utf8')).toBe(text);
  });

  it('reinstalls exactly the lockfile, from the cache, with the registry and key the lockfile names', async () => {
    const w = await world();
    expect((await w.run(['install', 'app', '--registry', w.url, '--trust-key', w.registry.publicKey])).code).toBe(0);
    const before = await tree(join(w.project, 'granary_packages'));
    const lockText = await readFile(join(w.project, 'granary.lock'), 'utf8');
    await rm(join(w.project, 'granary_packages'), { recursive: true });
    const requestsBefore = w.server.requests.filter((r) => r.path.startsWith('/assets/')).length;

    const r = await w.run(['install', '--json']);
    expect(r.code, r.out).toBe(0);
    expect(r.json.packages.map((p: { status: string }) => p.status)).toEqual(['cached', 'cached', 'cached']);
    expect(r.json.lockfileStatus).toBe('kept');
    expect(await tree(join(w.project, 'granary_packages'))).toEqual(before);
    expect(w.server.requests.filter((q) => q.path.startsWith('/assets/')).length).toBe(requestsBefore);
    expect(await readFile(join(w.project, 'granary.lock'), 'utf8')).toBe(lockText);

    // A newer lib in the index changes nothing: the lockfile wins.
    await w.registry.publish([...basePackages, { name: 'lib', version: '1.2.0', files: { 'lib.js': 'lib 1.2.0\n' } }]);
    await rm(join(w.project, 'granary_packages'), { recursive: true });
    await rm(w.cache, { recursive: true });
    const fresh = await w.run(['install', '--frozen', '--json']);
    expect(fresh.code, fresh.out).toBe(0);
    expect(fresh.json.packages.map((p: { status: string }) => p.status)).toEqual([
      'downloaded',
      'downloaded',
      'downloaded',
    ]);
    expect(await tree(join(w.project, 'granary_packages'))).toEqual(before);
  });

  it('refuses a tampered asset with an integrity error naming the package, and changes nothing', async () => {
    const w = await world();
    expect((await w.run(['install', 'other', '--registry', w.url])).code).toBe(0);
    const pkgs = join(w.project, 'granary_packages');
    const before = await tree(pkgs);
    const lockBefore = await readFile(join(w.project, 'granary.lock'), 'utf8');
    const file = join(w.registry.root, assetPath('util', '2.0.0'));
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
    await writeFile(file, bytes);

    const r = await w.run(['install', 'app', '--registry', w.url, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, error: 'integrity' });
    expect(r.json.message).toContain('util@2.0.0');
    expect(r.json.message).toContain(w.registry.lines.find((l) => l.name === 'util')!.sha256);
    expect(r.json.where).toBe(`${w.server.url}${assetPath('util', '2.0.0')}`);
    expect(await tree(pkgs)).toEqual(before);
    expect(await readFile(join(w.project, 'granary.lock'), 'utf8')).toBe(lockBefore);
    expect(
      existsSync(join(w.cache, 'sha256', w.registry.lines.find((l) => l.name === 'util')!.sha256.slice(0, 2))),
    ).toBe(false);
  });

  const hostile: Array<[string, RawEntry[], string[], RegExp]> = [
    ['a ../ entry', [{ path: 'evil-1.0.0/../../escape.txt', data: 'x' }], [], /"\.\."/],
    ['an absolute path', [{ path: '/tmp/granary-escape.txt', data: 'x' }], [], /absolute path/],
    ['a symlink entry', [{ path: 'evil-1.0.0/link', type: 'SymbolicLink', linkpath: '/etc' }], [], /symbolic link/],
    ['a hardlink entry', [{ path: 'evil-1.0.0/hard', type: 'Link', linkpath: 'evil-1.0.0/ok.txt' }], [], /hard link/],
    ['a device entry', [{ path: 'evil-1.0.0/null', type: 'CharacterDevice' }], [], /device/],
    [
      'too many entries',
      Array.from({ length: 5 }, (_, i) => ({ path: `evil-1.0.0/f${i}`, data: 'x' })),
      ['--max-entries', '6'],
      /cap of 6 entries/,
    ],
    [
      'a compression bomb',
      [{ path: 'evil-1.0.0/zeros', data: Buffer.alloc(24 * 1024 * 1024) }],
      [],
      /expands more than 100 times/,
    ],
  ];

  it.each(hostile)(
    'refuses a tarball with %s, naming the package and the entry, and changes nothing',
    async (_what, entries, flags, message) => {
      const tarball = rawTarGz([
        { path: 'evil-1.0.0/', type: 'Directory' },
        { path: 'evil-1.0.0/ok.txt', data: 'ok' },
        ...entries,
      ]);
      const w = await world([...basePackages, { name: 'evil', version: '1.0.0', tarball }]);
      expect((await w.run(['install', 'other', '--registry', w.url])).code).toBe(0);
      const pkgs = join(w.project, 'granary_packages');
      const before = await tree(pkgs);
      const r = await w.run(['install', 'evil', 'app', '--registry', w.url, ...flags, '--json']);
      expect(r.code).toBe(1);
      expect(r.json.error).toBe('unsafe-archive');
      expect(r.json.message).toContain('evil@1.0.0');
      expect(r.json.message).toMatch(message);
      expect(await tree(pkgs)).toEqual(before);
      expect(existsSync(join(w.work, 'escape.txt'))).toBe(false);
      expect(existsSync('/tmp/granary-escape.txt')).toBe(false);
    },
  );

  it('--frozen fails, naming what differs, when the SPECs, the index or the lockfile no longer match', async () => {
    const w = await world();
    expect((await w.run(['install', 'app', '--registry', w.url, '--trust-key', w.registry.publicKey])).code).toBe(0);
    const lockText = await readFile(join(w.project, 'granary.lock'), 'utf8');

    const extra = await w.run(['install', '--frozen', 'other', '--json']);
    expect(extra.code).toBe(1);
    expect(extra.json.error).toBe('lockfile-mismatch');
    expect(extra.json.differences).toEqual(['other is requested but not in the lockfile']);
    // A name the lockfile requests, with no range or the range it has, is no difference.
    expect((await w.run(['install', '--frozen', 'app', 'app@^1.0.0'])).code).toBe(0);
    const range = await w.run(['install', '--frozen', 'app@^1.1.0', '--json']);
    expect(range.json.differences).toEqual(['app is requested as ^1.1.0, the lockfile has ^1.0.0']);

    // A trustee revision makes app need a package the lockfile does not have.
    await w.registry.publish(
      basePackages.map((p) => (p.name === 'app' ? { ...p, dependencies: { lib: '^1.0.0', other: '^1.0.0' } } : p)),
    );
    const revised = await w.run(['install', '--frozen', '--json']);
    expect(revised.code).toBe(1);
    expect(revised.json.differences).toEqual(
      expect.arrayContaining(['other@1.0.0 is needed now but not in the lockfile']),
    );
    expect(await readFile(join(w.project, 'granary.lock'), 'utf8')).toBe(lockText);

    // A lockfile whose hash disagrees with the index.
    const lock = JSON.parse(lockText);
    const other = w.registry.lines.find((l) => l.name === 'other')!;
    lock.packages.util = { ...lock.packages.util, sha256: other.sha256, integrity: other.integrity };
    await writeFile(join(w.project, 'granary.lock'), JSON.stringify(lock));
    const altered = await w.run(['install', '--frozen', '--json']);
    expect(altered.code).toBe(1);
    expect(altered.json.differences).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^util@2\.0\.0: the index records sha256 [0-9a-f]{64} .* the lockfile [0-9a-f]{64}/),
      ]),
    );
    const plain = await w.run(['install', '--json']);
    expect(plain.code).toBe(1);
    expect(plain.json.error).toBe('integrity');
  });

  it('refuses an index older than the lockfile', async () => {
    const w = await world();
    expect((await w.run(['install', 'other', '--registry', w.url])).code).toBe(0);
    const lock = JSON.parse(await readFile(join(w.project, 'granary.lock'), 'utf8'));
    await writeFile(join(w.project, 'granary.lock'), JSON.stringify({ ...lock, snapshotVersion: 7 }));
    const r = await w.run(['install', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error).toBe('trust');
    expect(r.json.message).toMatch(/snapshot 1 is older than the lockfile's snapshot 7/);
  });

  it('refuses a hostile lockfile with a message naming the key', async () => {
    const w = await world();
    await writeFile(
      join(w.project, 'granary.lock'),
      JSON.stringify({
        lockfileVersion: 1,
        registry: w.url,
        snapshotVersion: 1,
        requests: {},
        packages: {
          demo: {
            version: '1.0.0',
            asset: '../../etc/x.tar.gz',
            url: 'x',
            size: 1,
            sha256: 'a'.repeat(64),
            integrity: 'sha256-x',
            dependencies: {},
          },
        },
      }),
    );
    const r = await w.run(['install', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.where).toMatch(/granary\.lock: packages\.demo\.asset$/);
  });

  it('replaces an installed version atomically and removes packages no longer wanted', async () => {
    const w = await world();
    expect((await w.run(['install', 'lib@1.0.0', 'other', '--registry', w.url])).code).toBe(0);
    const pkgs = join(w.project, 'granary_packages');
    expect(await readFile(join(pkgs, 'lib', 'lib.js'), 'utf8')).toBe('lib 1.0.0\n');
    // A new project in the same place: its own granary.yaml, no lockfile.
    await rm(join(w.project, 'granary.lock'));
    await writeFile(join(w.project, 'granary.yaml'), 'dependencies: {}\n');
    const r = await w.run(['install', 'lib@2', '--registry', w.url, '--json']);
    expect(r.code, r.out).toBe(0);
    expect(r.json.removed).toEqual(['other']);
    expect(await readFile(join(pkgs, 'lib', 'lib.js'), 'utf8')).toBe('lib 2.0.0\n');
    expect((await readdir(pkgs)).sort()).toEqual(['.granary-state.json', 'lib']);
  });

  it('prints a readable summary, and usage errors exit 2', async () => {
    const w = await world();
    const r = await w.run(['install', 'app', '--registry', w.url, '--trust-key', w.registry.publicKey]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^installed 3 packages into granary_packages: 3 downloaded \([\d.]+ k?B\), 0 from cache, 0 unchanged, in [\d.]+ s$/m,
    );
    expect(r.err).toContain('warning: lib@1.1.0 is deprecated: use lib 2');
    expect(r.out).toMatch(/lockfile granary\.lock written \(snapshot 1\)/);
    expect((await w.run(['install'])).code).toBe(0);
    expect((await w.run(['install', 'app', '--jobs', '0'])).code).toBe(2);
    await rm(join(w.project, 'granary.lock'));
    await rm(join(w.project, 'granary.yaml'));
    const none = await w.run(['install']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/nothing to install/);
  });
});
