import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../core/signing.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { createFixture } from '../curate/fixture.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';

let server: StaticServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a registry built by curate', () => {
  it('installs from the git clone (no HTTP), mirrors, and installs from the mirror over HTTP', async () => {
    const f = await createFixture();
    const keys = generateKeyPair();
    const alpha = await f.source('alpha', ['1.0.0', '1.1.0']);
    const beta = await f.source('beta', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${keys.publicKey}`));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', alpha));
    await f.registry.write(
      'packages/beta/1.0.0.yaml',
      f.definition('beta', '1.0.0', beta, 'dependencies:\n  alpha: "^1.0.0"'),
    );
    await f.registry.commit('Publish alpha and beta');
    const report = await curate({
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
      signingKeyPem: keys.privateKeyPem,
    });
    expect(report.published).toHaveLength(3);

    const work = await tempDir();
    const run = async (cwd: string, args: string[]) => {
      const io = memoryIo({ cwd });
      const code = await main(
        [...args, ...(args.includes('--cache') ? [] : ['--cache', join(work, 'cache')]), '--json'],
        io,
      );
      return { code, json: JSON.parse(io.text()) };
    };

    const fromClone = join(work, 'from-clone');
    await mkdir(fromClone);
    const a = await run(fromClone, ['install', 'beta', '--registry', f.registry.dir, '--trust-key', keys.publicKey]);
    expect(a.code, JSON.stringify(a.json)).toBe(0);
    expect(a.json.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`)).toEqual([
      'alpha@1.1.0',
      'beta@1.0.0',
    ]);
    expect((await readdir(join(fromClone, 'granary_packages', 'alpha'))).sort()).toEqual([
      'README.md',
      'granary.json',
      'src',
    ]);
    expect(await readFile(join(fromClone, 'granary_packages', 'alpha', 'src', 'index.js'), 'utf8')).toBe(
      "export const version = '1.1.0';\n",
    );
    expect(
      JSON.parse(await readFile(join(fromClone, 'granary_packages', 'beta', 'granary.json'), 'utf8')),
    ).toMatchObject({ name: 'beta', version: '1.0.0' });

    const dest = join(work, 'mirror');
    const m = await run(work, ['mirror', f.registry.dir, dest, '--trust-key', keys.publicKey]);
    expect(m.code, JSON.stringify(m.json)).toBe(0);
    expect(m.json.assets).toEqual({ copied: 3, skipped: 0 });
    server = await serveDirectory(dest);

    const fromMirror = join(work, 'from-mirror');
    await mkdir(fromMirror);
    const b = await run(fromMirror, [
      'install',
      'beta',
      '--registry',
      `${server.url}/index`,
      '--assets',
      `${server.url}/assets`,
      '--trust-key',
      keys.publicKey,
      '--cache',
      join(work, 'cache-mirror'),
    ]);
    expect(b.code, JSON.stringify(b.json)).toBe(0);
    expect(b.json.packages.map((p: { status: string }) => p.status)).toEqual(['downloaded', 'downloaded']);
    expect(server.count('/assets/alpha/alpha-1.1.0.tar.gz')).toBe(1);
    expect(await readFile(join(fromMirror, 'granary_packages', 'alpha', 'src', 'index.js'), 'utf8')).toBe(
      "export const version = '1.1.0';\n",
    );
  });
});
