import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../core/hash.js';
import { openRegistry } from '../../client/registry.js';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../core/signing.js';
import { Git } from '../../curator/git/repository.js';
import { commitIndex } from '../../curator/index/index-branch.js';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { createFixture } from '../curate/fixture.js';
import { tempDir } from '../helpers/tmp.js';

async function signedRegistry() {
  const f = await createFixture();
  const keys = generateKeyPair();
  const keyFile = join(await tempDir('granary-key-'), 'key.pem');
  await writeFile(keyFile, keys.privateKeyPem);
  const url = await f.source('alpha', ['1.0.0', '1.1.0']);
  await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${keys.publicKey}\nstores: ["fs:${f.storeDir}"]`));
  await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
  await f.registry.commit('Publish alpha 1.0.0');
  await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url, 'keywords: [text]'));
  await f.registry.write('overrides/alpha/1.0.0.yaml', 'reason: broken\nyanked: true\n');
  await f.registry.commit('Publish alpha 1.1.0, yank 1.0.0');
  return { f, keys, keyFile };
}

describe('granary curate and granary index build|check', () => {
  it('curates from the command line (key from the environment), then checks clean and rebuilds the same bytes', async () => {
    const { f, keys } = await signedRegistry();
    const io = memoryIo({ cwd: f.registry.dir, env: { GRANARY_SIGNING_KEY: keys.privateKeyPem } });
    expect(await main(['curate', '--json'], io)).toBe(0);
    const report = JSON.parse(io.text());
    expect(report.published.map((p: { version: string }) => p.version)).toEqual(['1.0.0', '1.1.0']);
    expect(report.revised).toEqual([{ name: 'alpha', version: '1.0.0', revision: 2 }]);
    expect(report.snapshotVersion).toBe(1);

    const check = memoryIo({ cwd: f.registry.dir });
    expect(await main(['index', 'check', '--store', `fs:${f.storeDir}`], check)).toBe(0);
    expect(check.text()).toMatch(/^ok: index at [0-9a-f]{12} \(snapshot version 1/);

    const out = join(await tempDir('granary-out-'), 'built');
    const build = memoryIo({ cwd: f.registry.dir, env: { GRANARY_SIGNING_KEY: keys.privateKeyPem } });
    expect(await main(['index', 'build', '--out', out, '--json'], build)).toBe(0);
    expect(JSON.parse(build.text())).toMatchObject({ ok: true, snapshotVersion: 1 });
    // The same target files, signed anew as the next generation (a client that saw the branch accepts it).
    for (const path of ['al/ph/alpha', 'packages.json', 'config.json']) {
      expect(await readFile(join(out, path), 'utf8'), path).toBe(await f.indexFile(path));
    }
    const rebuilt = await openRegistry(out, { cwd: out, trustKey: keys.publicKey });
    expect(rebuilt.snapshot.version).toBe(2);
    expect((await rebuilt.lines('alpha')).map((l) => l.revision)).toEqual([2, 1]);
  });

  it('reports each tampered file by path and exits 1', async () => {
    const { f, keyFile } = await signedRegistry();
    expect(await main(['curate', '--repo', f.registry.dir, '--sign-key', keyFile], memoryIo())).toBe(0);
    // A mirror-style tamper: change a hash in the index file (its plain copy and the file its bin lists).
    const git = new Git(f.registry.dir);
    const tip = (await f.indexCommits())[0]!;
    const original = (await f.indexFile('al/ph/alpha'))!;
    const hashed = `al/ph/${sha256Hex(Buffer.from(original))}.alpha`;
    const tampered = original.replace(/"sha256":"[0-9a-f]{64}"/, `"sha256":"${'0'.repeat(64)}"`);
    await commitIndex(git, {
      branch: 'index',
      parent: tip,
      changes: new Map([
        ['al/ph/alpha', Buffer.from(tampered)],
        [hashed, Buffer.from(tampered)],
      ]),
      message: 'tamper',
      date: '2024-06-01T00:00:00Z',
    });

    const io = memoryIo();
    expect(await main(['index', 'check', '--repo', f.registry.dir, '--store', `fs:${f.storeDir}`, '--json'], io)).toBe(
      1,
    );
    const report = JSON.parse(io.text());
    const byPath = new Map<string, string>(
      report.differences.map((d: { path: string; problem: string }) => [d.path, d.problem]),
    );
    expect(byPath.get(hashed)).toMatch(/is not the file its bin lists/);
    expect(report.ok).toBe(false);
  });

  it('reports files in an fs: store that no version of the index names, and debris of killed runs', async () => {
    const { f, keyFile } = await signedRegistry();
    expect(await main(['curate', '--repo', f.registry.dir, '--sign-key', keyFile], memoryIo())).toBe(0);
    const clean = memoryIo();
    expect(
      await main(['index', 'check', '--repo', f.registry.dir, '--store', `fs:${f.storeDir}`], clean),
      clean.text(),
    ).toBe(0);
    await writeFile(join(f.storeDir, 'alpha', 'payload.sh'), '#!/bin/sh\n');
    await writeFile(join(f.storeDir, 'alpha', '.alpha-1.0.0.tar.gz.77.0123456789ab.tmp'), 'partial');
    const io = memoryIo();
    expect(await main(['index', 'check', '--repo', f.registry.dir, '--store', `fs:${f.storeDir}`, '--json'], io)).toBe(
      1,
    );
    const problems = new Map<string, string>(
      JSON.parse(io.text()).differences.map((d: { path: string; problem: string }) => [
        d.path.split(' ')[1],
        d.problem,
      ]),
    );
    expect(problems.get('alpha/payload.sh')).toMatch(/not an asset of any version in the index/);
    expect(problems.get('alpha/.alpha-1.0.0.tar.gz.77.0123456789ab.tmp')).toMatch(/temporary file a killed run left/);
    expect(problems.size).toBe(2);
  });

  it('refuses a signing key that registry.yaml does not name, with the way to rotate it', async () => {
    const { f } = await signedRegistry();
    const other = join(await tempDir('granary-key-'), 'other.pem');
    await writeFile(other, generateKeyPair().privateKeyPem);
    const io = memoryIo();
    expect(await main(['curate', '--repo', f.registry.dir, '--sign-key', other], io)).toBe(1);
    expect(io.err.join('')).toMatch(/granary root init/);
    expect(await f.indexCommits()).toEqual([]);
  });
});
