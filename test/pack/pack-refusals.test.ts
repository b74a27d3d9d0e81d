import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PackLimitError } from '../../curator/pack/limit-error.js';
import { packVersion } from '../../curator/pack/pack.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { definition, localRegistry, sampleRepo } from './fixtures.js';
import { readTar } from './tar-reader.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('packVersion leaves out or refuses what it must not pack', () => {
  it('leaves out a symlink pointing outside the repository, and never packs its target', async () => {
    const outside = await tempDir();
    await writeFile(join(outside, 'secret.txt'), 'TOP-SECRET-CONTENT\n');
    const repo = await sampleRepo();
    await repo.link('docs/secret', join(outside, 'secret.txt'));
    await repo.link('docs/readme-link', '../README.md');
    await repo.link('escape', '../../../../../../etc/passwd');
    await repo.commit('links');
    await repo.git('tag', '-f', 'v1.0.0');
    const result = await packVersion(definition(repo.dir), { registry: localRegistry() });
    const entries = await readTar(result.bytes);
    expect(entries.some((e) => /secret|readme-link|escape/.test(e.path))).toBe(false);
    expect(entries.every((e) => e.type === 'File' || e.type === 'Directory')).toBe(true);
    expect(gunzipSync(result.bytes).includes('TOP-SECRET')).toBe(false);
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/symlink docs\/secret left out/),
        expect.stringMatching(/symlink docs\/readme-link left out/),
        expect.stringMatching(/symlink escape left out/),
      ]),
    );
  });

  it('leaves out a submodule with a warning', async () => {
    const repo = await sampleRepo();
    const other = await createRepo();
    await other.write('x.txt', 'vendored\n');
    const sub = await other.commit('x');
    await repo.write('.gitmodules', `[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = ${other.dir}\n`);
    await repo.git('add', '.gitmodules');
    await repo.git('update-index', '--add', '--cacheinfo', `160000,${sub},vendor/lib`);
    await repo.git('commit', '-q', '-m', 'submodule');
    await repo.git('tag', '-f', 'v1.0.0');
    expect(await repo.git('ls-tree', 'HEAD', 'vendor/lib')).toMatch(/^160000 commit/);
    const result = await packVersion(definition(repo.dir), { registry: localRegistry() });
    expect((await readTar(result.bytes)).some((e) => e.path.includes('vendor'))).toBe(false);
    expect(result.warnings).toEqual([expect.stringMatching(/^submodule vendor\/lib left out/)]);
  });

  it('replaces a granary.json of the source with the generated one, with a warning', async () => {
    const repo = await sampleRepo();
    await repo.write('granary.json', '{"name":"forged"}\n');
    await repo.commit('forged');
    await repo.git('tag', '-f', 'v1.0.0');
    const result = await packVersion(definition(repo.dir), { registry: localRegistry() });
    const manifest = (await readTar(result.bytes)).filter((e) => e.path === 'demo-1.0.0/granary.json');
    expect(manifest).toHaveLength(1);
    expect(JSON.parse(manifest[0]!.data.toString()).name).toBe('demo');
    expect(result.warnings).toEqual([expect.stringMatching(/granary\.json of the source was replaced/)]);
  });

  it('refuses a file over limits.maxFileBytes, naming the limit and the offenders', async () => {
    const repo = await sampleRepo();
    await repo.write('assets/big.bin', Buffer.alloc(5000, 1));
    await repo.write('assets/medium.bin', Buffer.alloc(3000, 1));
    await repo.commit('big');
    await repo.git('tag', '-f', 'v1.0.0');
    const error = await rejection(
      packVersion(definition(repo.dir), { registry: localRegistry({ maxFileBytes: 1000 }) }),
    );
    expect(error).toBeInstanceOf(PackLimitError);
    const e = error as PackLimitError;
    expect(e.limit).toBe('maxFileBytes');
    expect(e.message).toMatch(/limits\.maxFileBytes/);
    expect(e.offenders).toEqual(['demo-1.0.0/assets/big.bin (4.9 KB)', 'demo-1.0.0/assets/medium.bin (2.9 KB)']);
    expect(e.where).toBe('demo@1.0.0');
  });

  it('enforces the file count, path length and compressed size limits', async () => {
    const repo = await sampleRepo();
    await repo.write('data/noise.bin', randomBytes(40_000));
    await repo.write('data/zeros.bin', Buffer.alloc(200_000));
    await repo.write(`deep/${'x'.repeat(60)}/${'y'.repeat(60)}.txt`, 'long\n');
    await repo.commit('more');
    await repo.git('tag', '-f', 'v1.0.0');
    const limit = async (limits: object) =>
      ((await rejection(packVersion(definition(repo.dir), { registry: localRegistry(limits) }))) as PackLimitError)
        .limit;
    expect(await limit({ maxFiles: 5 })).toBe('maxFiles');
    expect(await limit({ maxPathLength: 100 })).toBe('maxPathLength');
    expect(await limit({ maxTarballBytes: 20_000 })).toBe('maxTarballBytes');
    expect(await limit({ maxFetchBytes: 150_000 })).toBe('maxUnpackedBytes');
    await expect(
      packVersion(definition(repo.dir), {
        registry: localRegistry({ maxFiles: 20, maxPathLength: 200, maxTarballBytes: 100_000 }),
      }),
    ).resolves.toMatchObject({ files: 10 });
  });
});
