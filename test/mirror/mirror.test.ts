import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry, type FixturePackage } from '../install/fixture-registry.js';

const servers: StaticServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const packages: FixturePackage[] = [
  { name: 'app', version: '1.0.0', dependencies: { lib: '^1.0.0' } },
  { name: 'lib', version: '1.0.0' },
  { name: '@acme/tool', version: '2.0.0' },
];

async function setup() {
  const work = await tempDir();
  const origin = await serveDirectory(join(work, 'origin'));
  servers.push(origin);
  // An absolute asset base, as a GitHub-hosted registry has: the mirror is reached with --assets.
  const registry = await buildRegistry(join(work, 'origin'), packages, { assetBase: `${origin.url}/assets` });
  const project = join(work, 'project');
  await mkdir(project);
  const run = async (args: string[], cwd = project) => {
    const io = memoryIo({ cwd });
    const code = await main(
      [...args, ...(args.includes('--cache') ? [] : ['--cache', join(work, 'cache')]), '--json'],
      io,
    );
    return { code, json: JSON.parse(io.text()) };
  };
  return { work, origin, registry, project, dest: join(work, 'mirror'), run };
}

describe('granary mirror', () => {
  it('copies index and assets in the fs: store layout, verified; a second run copies only what is new', async () => {
    const s = await setup();
    const first = await s.run(['mirror', `${s.origin.url}/index`, s.dest, '--trust-key', s.registry.publicKey]);
    expect(first.code, JSON.stringify(first.json)).toBe(0);
    // The whole current generation: roots, timestamp, snapshot, targets, every bin, and the 5 target files
    // under their hashed names (3 packages, packages.json, config.json); then mirror.json.
    const written = (first.json.written as string[]).filter((p) => p.startsWith('index/'));
    const kinds = written.map((p) =>
      p
        .replace(/[0-9a-f]{64}/, 'H')
        .replace(/^index\/metadata\/\d+\.bin-[0-9a-f]+\.json$/, 'index/metadata/N.bin.json'),
    );
    expect([...new Set(kinds)].sort()).toEqual([
      'index/3/a/H.app',
      'index/3/l/H.lib',
      'index/@acme/to/ol/H.tool',
      'index/H.config.json',
      'index/H.packages.json',
      'index/metadata/1.root.json',
      'index/metadata/1.snapshot.json',
      'index/metadata/1.targets.json',
      'index/metadata/N.bin.json',
      'index/metadata/root.json',
      'index/metadata/timestamp.json',
      'index/mirror.json',
    ]);
    expect(first.json.index).toEqual({ copied: written.length, skipped: 0 });
    expect(first.json.assets).toEqual({ copied: 3, skipped: 0 });
    for (const path of written) {
      const name = path.slice('index/'.length);
      if (name === 'mirror.json') continue;
      expect((await readFile(join(s.dest, path))).equals(await readFile(join(s.registry.indexDir, name))), name).toBe(
        true,
      );
    }
    const tool = s.registry.lines.find((l) => l.name === '@acme/tool')!;
    expect(tool.asset).toBe('@acme/tool/acme_tool-2.0.0.tar.gz');
    expect(existsSync(join(s.dest, 'assets', '@acme', 'tool', 'acme_tool-2.0.0.tar.gz'))).toBe(true);
    expect(await readFile(join(s.dest, 'assets', '@acme', 'tool', 'acme_tool-2.0.0.tar.gz.sha256'), 'utf8')).toBe(
      `${tool.sha256}  acme_tool-2.0.0.tar.gz\n`,
    );
    // config.json is signed content and still names the origin; the mirror names its own assets beside it.
    expect(JSON.parse(await readFile(join(s.dest, 'index', 'mirror.json'), 'utf8'))).toEqual({
      assetBase: '../assets',
    });

    const assetRequests = (): number => s.origin.requests.filter((r) => r.path.startsWith('/assets/')).length;
    const before = assetRequests();
    const second = await s.run(['mirror', `${s.origin.url}/index`, s.dest, '--trust-key', s.registry.publicKey]);
    expect(second.json).toMatchObject({
      index: { copied: 0, skipped: written.length },
      assets: { copied: 0, skipped: 3 },
      written: [],
    });
    expect(assetRequests()).toBe(before);

    await s.registry.publish([...packages, { name: 'lib', version: '1.1.0' }]);
    const third = await s.run(['mirror', `${s.origin.url}/index`, s.dest, '--trust-key', s.registry.publicKey]);
    expect(third.json.assets).toEqual({ copied: 1, skipped: 3 });
    const kinds3 = (third.json.written as string[]).map((p) =>
      p
        .replace(/[0-9a-f]{64}/, 'H')
        .replace(/^index\/metadata\/\d+\.bin-[0-9a-f]+\.json$/, 'index/metadata/N.bin.json'),
    );
    expect([...new Set(kinds3)].sort()).toEqual([
      'assets/lib/lib-1.1.0.tar.gz',
      'assets/lib/lib-1.1.0.tar.gz.sha256',
      'index/3/l/H.lib',
      'index/H.packages.json',
      'index/metadata/2.snapshot.json',
      'index/metadata/N.bin.json',
      'index/metadata/timestamp.json',
    ]);
    expect(third.json.snapshotVersion).toBe(2);
  });

  it('stands alone: install from the mirror over HTTP and from its folder, with the origin gone', async () => {
    const s = await setup();
    expect((await s.run(['mirror', `${s.origin.url}/index`, s.dest, '--trust-key', s.registry.publicKey])).code).toBe(
      0,
    );
    await s.origin.close();
    servers.splice(servers.indexOf(s.origin), 1);
    const mirror = await serveDirectory(s.dest);
    servers.push(mirror);

    const r = await s.run(['install', 'app', '--registry', `${mirror.url}/index`, '--trust-key', s.registry.publicKey]);
    expect(r.code, JSON.stringify(r.json)).toBe(0);
    expect(r.json.packages.map((p: { name: string }) => p.name)).toEqual(['app', 'lib']);
    expect(await readFile(join(s.project, 'granary_packages', 'lib', 'granary.json'), 'utf8')).toContain('"lib"');
    const lock = JSON.parse(await readFile(join(s.project, 'granary.lock'), 'utf8'));
    expect(lock.packages.lib.url).toBe(`${mirror.url}/assets/lib/lib-1.0.0.tar.gz`);
    expect(mirror.count('/assets/lib/lib-1.0.0.tar.gz')).toBe(1);

    // And straight from the directory, no HTTP at all.
    const local = join(s.work, 'local');
    await mkdir(local);
    const d = await s.run(
      ['install', 'app', '--registry', s.dest, '--trust-key', s.registry.publicKey, '--cache', join(s.work, 'cache2')],
      local,
    );
    expect(d.code, JSON.stringify(d.json)).toBe(0);
    expect(d.json.packages.map((p: { status: string }) => p.status)).toEqual(['downloaded', 'downloaded']);

    // verify the mirror, then break it and verify again
    const ok = await s.run([
      'verify',
      '--registry',
      `${mirror.url}/index`,
      '--assets',
      `${mirror.url}/assets`,
      '--trust-key',
      s.registry.publicKey,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, checked: 3, passed: 3, problems: [] });
    const libFile = join(s.dest, 'assets', 'lib', 'lib-1.0.0.tar.gz');
    const bytes = await readFile(libFile);
    bytes[20] = bytes[20]! ^ 1;
    await writeFile(libFile, bytes);
    await rm(join(s.dest, 'assets', 'app', 'app-1.0.0.tar.gz'));
    const bad = await s.run([
      'verify',
      '--registry',
      `${mirror.url}/index`,
      '--assets',
      `${mirror.url}/assets`,
      '--trust-key',
      s.registry.publicKey,
    ]);
    expect(bad.code).toBe(1);
    expect(
      bad.json.problems.map(
        (p: { status: string; name: string; version: string }) => `${p.status} ${p.name}@${p.version}`,
      ),
    ).toEqual(['missing app@1.0.0', 'mismatch lib@1.0.0']);

    // the lockfile mode checks what the project pins
    const pinned = await s.run(['verify', '--lock', 'granary.lock']);
    expect(pinned.code).toBe(1);
    expect(pinned.json.problems).toEqual([
      expect.objectContaining({ name: 'app', status: 'missing' }),
      expect.objectContaining({ name: 'lib', status: 'mismatch' }),
    ]);
  });

  it('refuses a tampered asset or index file at the source and leaves no partial file', async () => {
    const s = await setup();
    const file = join(s.registry.assetsDir, 'lib', 'lib-1.0.0.tar.gz');
    const bytes = await readFile(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 1;
    await writeFile(file, bytes);
    const r = await s.run(['mirror', `${s.origin.url}/index`, s.dest, '--trust-key', s.registry.publicKey]);
    expect(r.code).toBe(1);
    expect(r.json.error).toBe('integrity');
    expect(r.json.message).toContain('lib@1.0.0');
    expect(await readdir(join(s.dest, 'assets', 'lib'))).toEqual([]);
    expect(existsSync(join(s.dest, 'index', 'metadata', 'timestamp.json'))).toBe(false);

    await s.registry.publish(packages);
    const app = (await readdir(join(s.registry.indexDir, '3', 'a'))).find((f) => /^[0-9a-f]{64}\.app$/.test(f))!;
    await writeFile(
      join(s.registry.indexDir, '3', 'a', app),
      (await readFile(join(s.registry.indexDir, '3', 'a', app), 'utf8')).replace('"^1.0.0"', '"^1.0.1"'),
    );
    // A new cache: verified target files already in a cache are used as they are, whatever the origin serves now.
    const t = await s.run([
      'mirror',
      `${s.origin.url}/index`,
      s.dest,
      '--trust-key',
      s.registry.publicKey,
      '--cache',
      join(s.work, 'fresh-cache'),
    ]);
    expect(t.code).toBe(1);
    expect(t.json.error).toBe('trust');
    expect(t.json.message).toMatch(/3\/a\/app/);
  });

  it('never rolls a mirror back to an older generation', async () => {
    const s = await setup();
    expect((await s.run(['mirror', `${s.origin.url}/index`, s.dest])).code).toBe(0);
    const path = join(s.dest, 'index', 'metadata', 'timestamp.json');
    const timestamp = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...timestamp, signed: { ...timestamp.signed, version: 9 } }));
    const r = await s.run(['mirror', `${s.origin.url}/index`, s.dest]);
    expect(r.code).toBe(1);
    expect(r.json.message).toMatch(/already holds timestamp version 9, newer than the source's 1/);
  });

  it('keeps what the source still keeps of a replaced generation, and removes the rest', async () => {
    const s = await setup();
    expect((await s.run(['mirror', `${s.origin.url}/index`, s.dest])).code).toBe(0);
    const firstSnapshot = join(s.dest, 'index', 'metadata', '1.snapshot.json');
    expect(existsSync(firstSnapshot)).toBe(true);
    // A file no generation names (an old generation the source no longer keeps, say).
    const stale = join(s.dest, 'index', 'metadata', '0.bin-0.json');
    await writeFile(stale, '{}\n');
    await s.registry.publish([...packages, { name: 'lib', version: '1.1.0' }]);
    const r = await s.run(['mirror', `${s.origin.url}/index`, s.dest]);
    expect(r.code, JSON.stringify(r.json)).toBe(0);
    // Generation 1's snapshot is replaced but the source keeps it for a day (its retired.txt): so does the mirror.
    expect(await readFile(join(s.registry.indexDir, 'retired.txt'), 'utf8')).toContain('metadata/1.snapshot.json');
    expect(existsSync(firstSnapshot)).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(r.json.written).toContain('index/metadata/0.bin-0.json (removed: replaced at the source)');
  });

  it('removes the assets of a version unpublished since the last run', async () => {
    const s = await setup();
    expect((await s.run(['mirror', `${s.origin.url}/index`, s.dest])).code).toBe(0);
    const libFile = join(s.dest, 'assets', 'lib', 'lib-1.0.0.tar.gz');
    expect(existsSync(libFile)).toBe(true);
    await s.registry.unpublish('lib', '1.0.0');
    const r = await s.run(['mirror', `${s.origin.url}/index`, s.dest]);
    expect(r.code, JSON.stringify(r.json)).toBe(0);
    expect(existsSync(libFile)).toBe(false);
    expect(existsSync(`${libFile}.sha256`)).toBe(false);
    expect(r.json.written).toContain('assets/lib/lib-1.0.0.tar.gz (removed: unpublished)');
  });
});
