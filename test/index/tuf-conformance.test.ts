// The index as a stranger's TUF client sees it: a registry made with the CLI (keys, a root signed offline,
// curate), served over HTTP, read by a bare tuf-js Updater that holds nothing but the registry's first
// root — none of Granary's client code. Then again after a publish, a key rotation and a timestamp expiry.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extract } from 'tar';
import { Updater } from 'tuf-js';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { indexPath } from '../../core/index-path.js';
import { refreshIndex } from '../../curator/index/refresh.js';
import { DAY_MS } from '../../curator/index/tuf/repository.js';
import { createFixture, type Fixture } from '../curate/fixture.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const servers: StaticServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function granary(args: string[], cwd: string, env: Record<string, string> = {}) {
  const io = memoryIo({ cwd, env });
  const code = await main(args, io);
  return { code, out: io.text(), err: io.err.join('') };
}

/** The index branch as a static site: `git archive index` unpacked into `dir` (replacing what was there). */
async function exportIndex(repo: string, dir: string): Promise<void> {
  const archive = join(await tempDir(), 'index.tar');
  await run('git', ['-C', repo, 'archive', '--format=tar', `--output=${archive}`, 'index']);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await extract({ file: archive, cwd: dir, strict: true });
}

interface Site {
  f: Fixture;
  keys: string;
  site: string;
  url: string;
  alpha: string;
  env: (online: string) => Record<string, string>;
  publish(): Promise<void>;
}

/** A registry with a root made offline (root key apart from the online key), alpha and beta published, served. */
async function servedRegistry(): Promise<Site> {
  const f = await createFixture();
  const keys = await tempDir('granary-keys-');
  for (const name of ['root', 'online']) {
    const made = await granary(['keygen', '--out', join(keys, `${name}.pem`)], keys);
    expect(made.code, made.err).toBe(0);
  }
  const dir = f.registry.dir;
  expect(
    (
      await granary(
        [
          'root',
          'init',
          '--root-key',
          join(keys, 'root.pem.pub'),
          '--online-key',
          join(keys, 'online.pem.pub'),
          '--out',
          'trust/1.root.json',
        ],
        dir,
      )
    ).code,
  ).toBe(0);
  const signed = await granary(['root', 'sign', 'trust/1.root.json', '--key', join(keys, 'root.pem')], dir);
  expect(signed.code, signed.err).toBe(0);
  expect((await granary(['root', 'verify', 'trust'], dir)).out).toMatch(/^ok: 1 root version\(s\) form a chain/);

  const alpha = await f.source('alpha', ['1.0.0', '1.1.0']);
  const beta = await f.source('beta', ['1.0.0']);
  // No publicKey: the trust/ folder is the registry's root of trust.
  await f.registry.write('registry.yaml', f.registryYaml('publicKey: null').replace('publicKey: null\n', ''));
  await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
  await f.registry.write('packages/beta/1.0.0.yaml', f.definition('beta', '1.0.0', beta));
  await f.registry.commit('A registry with an offline root; alpha and beta');
  const env = (online: string) => ({ GRANARY_SIGNING_KEY: join(keys, `${online}.pem`) });
  const curated = await granary(['curate', '--repo', dir, '--store', `fs:${f.storeDir}`], dir, env('online'));
  expect(curated.code, curated.err + curated.out).toBe(0);

  const site = join(await tempDir('granary-site-'), 'index');
  await exportIndex(dir, site);
  const server = await serveDirectory(join(site, '..'));
  servers.push(server);
  return {
    f,
    keys,
    site,
    url: `${server.url}/index`,
    alpha,
    env,
    async publish() {
      await exportIndex(dir, site);
    },
  };
}

/** A bare tuf-js client: its own folder, the trusted root written there, HTTP through tuf-js's own fetcher. */
async function bareClient(state: string, url: string, trustedRoot?: Buffer): Promise<Updater> {
  const metadataDir = join(state, 'metadata');
  const targetDir = join(state, 'targets');
  await mkdir(metadataDir, { recursive: true });
  await mkdir(targetDir, { recursive: true });
  if (trustedRoot !== undefined) await writeFile(join(metadataDir, 'root.json'), trustedRoot);
  return new Updater({ metadataDir, metadataBaseUrl: `${url}/metadata/`, targetDir, targetBaseUrl: `${url}/` });
}

/** Refresh, then download and verify a target with tuf-js; its text. */
async function fetchTarget(updater: Updater, path: string): Promise<string> {
  const info = await updater.getTargetInfo(path);
  expect(info, `${path} is listed`).toBeDefined();
  return readFile(await updater.downloadTarget(info!), 'utf8');
}

describe('the index is a TUF repository any TUF client verifies with nothing but the root', () => {
  it('refreshes and verifies targets; again after a publish, a key rotation, and an expired timestamp', async () => {
    const s = await servedRegistry();
    const dir = s.f.registry.dir;
    const firstRoot = await readFile(join(dir, 'trust/1.root.json'));
    const state = await tempDir('granary-tuf-client-');

    // 1. A first refresh from the root alone; the targets are the index's files, verified by hash and length.
    let client = await bareClient(state, s.url, firstRoot);
    await client.refresh();
    for (const name of ['alpha', 'beta']) {
      const text = await fetchTarget(client, indexPath(name));
      expect(text).toBe(await s.f.indexFile(indexPath(name)));
    }
    expect(JSON.parse(await fetchTarget(client, 'config.json'))).toMatchObject({ format: 2, name: 'test-registry' });
    expect(await client.getTargetInfo('no/ne/nonexistent')).toBeUndefined();

    // 2. A publish: the same client state, a new generation.
    await s.f.registry.write('packages/alpha/1.1.0.yaml', s.f.definition('alpha', '1.1.0', s.alpha));
    await s.f.registry.commit('Publish alpha 1.1.0');
    expect((await granary(['curate', '--repo', dir, '--store', `fs:${s.f.storeDir}`], dir, s.env('online'))).code).toBe(
      0,
    );
    await s.publish();
    client = await bareClient(state, s.url);
    await client.refresh();
    expect(await fetchTarget(client, indexPath('alpha'))).toContain('"version":"1.1.0"');

    // 3. A rotation: new root key and new online key, root 2 signed by the old root key and the new one.
    for (const name of ['root2', 'online2'])
      expect((await granary(['keygen', '--out', join(s.keys, `${name}.pem`)], s.keys)).code).toBe(0);
    const rotate = await granary(
      [
        'root',
        'rotate',
        '--from',
        'trust/1.root.json',
        '--out',
        'trust/2.root.json',
        '--root-key',
        join(s.keys, 'root2.pem.pub'),
        '--online-key',
        join(s.keys, 'online2.pem.pub'),
      ],
      dir,
    );
    expect(rotate.code, rotate.err).toBe(0);
    // Signed by the new root key alone, the chain does not hold: the old keys must vouch for the new root.
    await granary(['root', 'sign', 'trust/2.root.json', '--key', join(s.keys, 'root2.pem')], dir);
    const half = await granary(['root', 'verify', 'trust'], dir);
    expect(half.code).toBe(1);
    expect(half.err).toMatch(/root version 2 is not signed by enough root keys/);
    await granary(['root', 'sign', 'trust/2.root.json', '--key', join(s.keys, 'root.pem')], dir);
    expect((await granary(['root', 'verify', 'trust'], dir)).out).toMatch(/^ok: 2 root version\(s\)/);
    await s.f.registry.git('add', 'trust');
    await s.f.registry.commit('Rotate the root and online keys');
    // The old online key is no longer the curator's.
    const stale = await granary(['curate', '--repo', dir, '--store', `fs:${s.f.storeDir}`], dir, s.env('online'));
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/is not the targets key of root version 2/);
    const rotated = await granary(['curate', '--repo', dir, '--store', `fs:${s.f.storeDir}`], dir, s.env('online2'));
    expect(rotated.code, rotated.err).toBe(0);
    await s.publish();
    client = await bareClient(state, s.url);
    await client.refresh();
    expect(JSON.parse(await readFile(join(state, 'metadata', 'root.json'), 'utf8')).signed.version).toBe(2);
    expect(await fetchTarget(client, indexPath('beta'))).toContain('"name":"beta"');
    // A new client that pins only root 1 walks to root 2 by itself: no re-pinning.
    const fresh = await bareClient(await tempDir('granary-tuf-fresh-'), s.url, firstRoot);
    await fresh.refresh();
    expect(await fetchTarget(fresh, indexPath('alpha'))).toContain('"version":"1.1.0"');

    // 4. Expiry: a timestamp nobody re-signed for two days is refused; `granary index refresh` mends it.
    await refreshIndex({
      repoDir: dir,
      signingKeyPem: await readFile(join(s.keys, 'online2.pem'), 'utf8'),
      now: Date.now() - 2 * DAY_MS,
      force: true,
    });
    await s.publish();
    client = await bareClient(await tempDir('granary-tuf-late-'), s.url, firstRoot);
    await expect(client.refresh()).rejects.toThrow(/expired/i);
    const mended = await granary(['index', 'refresh', '--repo', dir], dir, s.env('online2'));
    expect(mended.code, mended.err).toBe(0);
    expect(mended.out).toMatch(/re-signed the timestamp/);
    await s.publish();
    client = await bareClient(await tempDir('granary-tuf-later-'), s.url, firstRoot);
    await client.refresh();
    expect(await fetchTarget(client, indexPath('beta'))).toContain('"name":"beta"');

    // And Granary's own client, pinning root 1 by file, installs across all of it.
    const project = await tempDir('granary-project-');
    await writeFile(join(project, 'root.json'), firstRoot);
    const installed = await granary(
      // (The fs: store's file: asset base is never followed from an index read over HTTP: --assets names it.)
      [
        'install',
        'alpha',
        '--registry',
        s.url,
        '--trust-root',
        'root.json',
        '--assets',
        s.f.storeDir,
        '--cache',
        join(project, '.cache'),
      ],
      project,
    );
    expect(installed.code, installed.err + installed.out).toBe(0);
  });
});
