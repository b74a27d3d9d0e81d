// Issue 15: a CDN that serves every file but timestamp.json from a cache for 600 s never fails an install.
// Consistent snapshots give every other file a name of its own, so a fresh timestamp leads only to names the
// cache has never seen, and an older one only to names it still holds: either way the client sees one generation.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { sha256Hex } from '../../core/hash.js';
import { serveDirectory } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry, type FixturePackage } from '../install/fixture-registry.js';
import { startCachingProxy, type CachingProxyOptions, type ProxyLogEntry } from './caching-proxy.js';

const TTL_MS = 600_000;
const TIMESTAMP = '/index/metadata/timestamp.json';

const first: FixturePackage[] = [
  { name: 'app', version: '1.0.0', dependencies: { lib: '^1.0.0' } },
  { name: 'lib', version: '1.0.0' },
];
const second: FixturePackage[] = [
  ...first,
  { name: 'lib', version: '1.1.0' },
  { name: 'app', version: '1.1.0', dependencies: { lib: '^1.1.0' } },
];
const OLD = ['app@1.0.0', 'lib@1.0.0'];
const NEW = ['app@1.1.0', 'lib@1.1.0'];

async function setup(proxyOptions: Partial<CachingProxyOptions> = {}) {
  const work = await tempDir();
  const originDir = join(work, 'origin');
  const origin = await serveDirectory(originDir);
  const clock = { ms: 0 };
  let beforeRequest: ((path: string) => Promise<void>) | undefined;
  const proxy = await startCachingProxy({
    origin: origin.url,
    now: () => clock.ms,
    ttlMs: TTL_MS,
    fresh: (path) => path === TIMESTAMP,
    beforeRequest: (path) => beforeRequest?.(path),
    ...proxyOptions,
  });
  // config.json's assetBase is relative (`../assets`): tarballs come through the proxy too.
  const registry = await buildRegistry(originDir, first);
  let projects = 0;
  /** `granary install app` through the proxy into a new project, with the client cache `cache`. */
  const install = async (cache: string) => {
    const project = join(work, `project-${++projects}`);
    await mkdir(project);
    const io = memoryIo({ cwd: project });
    const args = ['install', 'app', '--registry', `${proxy.url}/index`, '--trust-key', registry.publicKey];
    const code = await main([...args, '--cache', join(work, cache), '--json'], io);
    const json = JSON.parse(io.text()) as Record<string, any>;
    const packages = code === 0 ? (json.packages as Array<{ name: string; version: string }>) : [];
    return { code, json, installed: packages.map((p) => `${p.name}@${p.version}`).sort() };
  };
  /** The SHA-256 of what the origin serves at `path` now (of its 404 body when it has no such file). */
  const originNow = async (path: string): Promise<{ status: number; sha256: string }> => {
    const bytes = await readFile(join(originDir, path)).catch(() => undefined);
    return bytes === undefined
      ? { status: 404, sha256: sha256Hex('not found\n') }
      : { status: 200, sha256: sha256Hex(bytes) };
  };
  /** Publish the second generation at the origin, then move the proxy clock on, still inside every cached copy's life. */
  const publishAndAge = async () => {
    await registry.publish(second);
    clock.ms += TTL_MS - 1_000;
  };
  return {
    work,
    proxy,
    clock,
    registry,
    install,
    originNow,
    publishAndAge,
    setBeforeRequest: (hook: typeof beforeRequest) => void (beforeRequest = hook),
  };
}

/** The requests in `log` that the proxy answered with a copy stored before the publish. */
function staleHits(log: ProxyLogEntry[], publishedAt: number): ProxyLogEntry[] {
  return log.filter((e) => e.from === 'cache' && e.storedAt < publishedAt);
}

describe('a CDN caching everything but timestamp.json for 600 s', () => {
  it('installs the new generation right after a publish, with the same client cache and with a new one', async () => {
    const s = await setup();
    const before = await s.install('cache-a');
    expect(before.code, JSON.stringify(before.json)).toBe(0);
    expect(before.installed).toEqual(OLD);
    // A reader that does not speak TUF (a browser, a script) asks for the plain copy of app's index file.
    const plain = '/index/3/a/app';
    const plainBefore = Buffer.from(await (await fetch(`${s.proxy.url}${plain}`)).arrayBuffer());

    const publishedAt = s.clock.ms + 1;
    await s.publishAndAge();
    const mark = s.proxy.log.length;
    const same = await s.install('cache-a');
    expect(same.code, JSON.stringify(same.json)).toBe(0);
    expect(same.installed).toEqual(NEW);
    expect(same.json.snapshotVersion).toBe(2);
    const fresh = await s.install('cache-b');
    expect(fresh.code, JSON.stringify(fresh.json)).toBe(0);
    expect(fresh.installed).toEqual(NEW);
    expect(fresh.json.snapshotVersion).toBe(2);
    const installs = s.proxy.log.slice(mark);

    // The proxy really is stale: the plain copy changed at the origin, the proxy still serves the old bytes.
    const plainAfter = Buffer.from(await (await fetch(`${s.proxy.url}${plain}`)).arrayBuffer());
    expect(plainAfter.equals(plainBefore)).toBe(true);
    expect((await s.originNow(plain)).sha256).not.toBe(sha256Hex(plainBefore));
    expect(s.proxy.log.at(-1)).toMatchObject({ path: plain, from: 'cache', storedAt: 0 });

    // The installs were answered from copies stored before the publish (the new client's metadata that did
    // not change: root, targets, an unchanged bin, config.json; the negative answer for 2.root.json) …
    const stale = staleHits(installs, publishedAt);
    expect(stale.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/index/metadata/1.root.json',
        '/index/metadata/2.root.json',
        '/index/metadata/1.targets.json',
        expect.stringMatching(/^\/index\/[0-9a-f]{64}\.config\.json$/),
      ]),
    );
    // … and each of those names still means what it meant: only timestamp.json changes in place.
    for (const e of stale)
      expect({ path: e.path, ...(await s.originNow(e.path)) }).toEqual({
        path: e.path,
        status: e.status,
        sha256: e.sha256,
      });
    expect(s.proxy.log.filter((e) => e.path === TIMESTAMP).every((e) => e.from === 'origin')).toBe(true);
    // The tarballs came through the proxy.
    expect(s.proxy.log.filter((e) => e.path.startsWith('/assets/')).map((e) => e.path)).toContain(
      '/assets/lib/lib-1.1.0.tar.gz',
    );
  });

  it('lets a client that read the old timestamp before the publish finish on the old generation, then move on', async () => {
    const s = await setup();
    // Fill the proxy with the first generation, as earlier clients would.
    expect((await s.install('cache-a')).installed).toEqual(OLD);

    // A new client reads timestamp.json; the publish lands before its next request.
    let publishedAt: number | undefined;
    let sawTimestamp = false;
    s.setBeforeRequest(async (path) => {
      if (path === TIMESTAMP) sawTimestamp = true;
      else if (sawTimestamp && publishedAt === undefined) {
        publishedAt = s.clock.ms + 1;
        await s.publishAndAge();
      }
    });
    const mark = s.proxy.log.length;
    const during = await s.install('cache-b');
    s.setBeforeRequest(undefined);
    expect(publishedAt).toBeDefined();
    expect(during.code, JSON.stringify(during.json)).toBe(0);
    expect(during.installed).toEqual(OLD);
    expect(during.json.snapshotVersion).toBe(1);
    // Every file after timestamp.json came from the cache, stored before the publish.
    const after = s.proxy.log.slice(s.proxy.log.findIndex((e, i) => i >= mark && e.path === TIMESTAMP) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((e) => e.from !== 'cache' || e.storedAt >= publishedAt!)).toEqual([]);

    // The same client (and the one that filled the proxy) go on to the new generation while the proxy is still stale.
    for (const cache of ['cache-b', 'cache-a']) {
      const next = await s.install(cache);
      expect(next.code, JSON.stringify(next.json)).toBe(0);
      expect(next.installed).toEqual(NEW);
    }
    expect(staleHits(s.proxy.log.slice(mark), publishedAt!).length).toBeGreaterThan(0);
  });

  describe('controls: the scenario above would catch what it is meant to', () => {
    it('with timestamp.json cached too, installs still succeed but see the old generation (stale, yet consistent)', async () => {
      const s = await setup({ fresh: () => false });
      expect((await s.install('cache-a')).installed).toEqual(OLD);
      await s.publishAndAge();
      const mark = s.proxy.log.length;
      for (const cache of ['cache-a', 'cache-b']) {
        const r = await s.install(cache);
        expect(r.code, JSON.stringify(r.json)).toBe(0);
        expect(r.installed).toEqual(OLD);
        expect(r.json.snapshotVersion).toBe(1);
      }
      const timestamps = s.proxy.log.slice(mark).filter((e) => e.path === TIMESTAMP);
      expect(timestamps.length).toBe(2);
      for (const e of timestamps) {
        expect(e).toMatchObject({ from: 'cache', storedAt: 0 });
        expect(e.sha256).not.toBe((await s.originNow(TIMESTAMP)).sha256);
      }
    });

    it('with names that do not change (a cache keyed by the plain name), the install after a publish fails', async () => {
      // `metadata/2.snapshot.json` is cached as `metadata/snapshot.json`, `3/a/<sha256>.app` as `3/a/app`:
      // what a CDN would serve if the index kept its files at fixed names (roots keep theirs, as in any TUF repository).
      const plainName = (path: string) =>
        path.replace(/\/\d+\.((?!root\.)[^/]+\.json)$/, '/$1').replace(/\/[0-9a-f]{64}\.([^/]+)$/, '/$1');
      const s = await setup({ key: plainName });
      expect((await s.install('cache-a')).installed).toEqual(OLD);
      await s.publishAndAge();
      for (const cache of ['cache-a', 'cache-b']) {
        const r = await s.install(cache);
        expect(r.code).toBe(1);
        expect(r.json).toMatchObject({ error: 'trust' });
        expect(r.json.message).toMatch(/snapshot/i);
      }
    });
  });
});
