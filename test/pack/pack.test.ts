import { execFile } from 'node:child_process';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { contentHashOfTarball } from '../../curator/pack/content-hash.js';
import { packVersion } from '../../curator/pack/pack.js';
import { sha256Hex } from '../../core/hash.js';
import { createRepo, gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { definition, localRegistry, sampleRepo } from './fixtures.js';
import { readTar } from './tar-reader.js';

const run = promisify(execFile);

describe('packVersion', () => {
  it('gives identical bytes from two clones with different umask, mtimes and working directories', async () => {
    const upstream = await sampleRepo();
    const results = [];
    const before = process.cwd();
    for (const [i, mask] of [0o022, 0o077].entries()) {
      const work = await tempDir(`granary-work-${i}-`);
      const previous = process.umask(mask);
      try {
        await gitIn(work, 'clone', '-q', upstream.dir, 'upstream');
        const stamp = new Date(Date.UTC(2001 + i * 20, 1, 1));
        for (const f of ['README.md', 'src/index.ts', 'bin/cli.sh'])
          await utimes(join(work, 'upstream', f), stamp, stamp);
        process.chdir(work);
        results.push(
          await packVersion(definition('', { location: { git: 'file://./upstream' } }), {
            registry: localRegistry(),
            cwd: work,
          }),
        );
      } finally {
        process.chdir(before);
        process.umask(previous);
      }
    }
    const [a, b] = results;
    expect(a!.bytes.equals(b!.bytes)).toBe(true);
    expect(a!.sha256).toBe(b!.sha256);
    expect(a!.sha256).toBe(sha256Hex(a!.bytes));
    expect(a!.integrity).toBe(`sha256-${Buffer.from(a!.sha256, 'hex').toString('base64')}`);
    expect(a!.size).toBe(a!.bytes.length);
  });

  it('writes a gzip header with no file name and no time, at level 9', async () => {
    const repo = await sampleRepo();
    const { bytes } = await packVersion(definition(repo.dir), { registry: localRegistry() });
    // ID1 ID2 CM=deflate FLG=0 (no FNAME/FCOMMENT/FEXTRA) MTIME=0 XFL=2 (max compression) OS=3
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
  });

  it('sorts entries by bytes, makes directories explicit and normalizes modes, owners and times', async () => {
    const repo = await sampleRepo();
    const result = await packVersion(definition(repo.dir), { registry: localRegistry() });
    const entries = await readTar(result.bytes);
    expect(entries.map((e) => e.path)).toEqual([
      'demo-1.0.0/',
      'demo-1.0.0/B-upper.txt',
      'demo-1.0.0/README.md',
      'demo-1.0.0/a-b/',
      'demo-1.0.0/a-b/c.txt',
      'demo-1.0.0/bin/',
      'demo-1.0.0/bin/cli.sh',
      'demo-1.0.0/granary.json',
      'demo-1.0.0/src/',
      'demo-1.0.0/src/index.ts',
      'demo-1.0.0/src/util/',
      'demo-1.0.0/src/util/strings.ts',
    ]);
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e]));
    expect(byPath['demo-1.0.0/bin/cli.sh']!.mode).toBe(0o755);
    expect(byPath['demo-1.0.0/src/index.ts']!.mode).toBe(0o644);
    expect(byPath['demo-1.0.0/src/']!).toMatchObject({ type: 'Directory', mode: 0o755 });
    for (const e of entries) {
      expect(e).toMatchObject({ uid: 0, gid: 0, uname: '', gname: '', mtime: 0 });
      expect([0o644, 0o755]).toContain(e.mode);
    }
    expect(result.files).toBe(7);
    expect(byPath['demo-1.0.0/src/index.ts']!.data.toString()).toBe('export const answer = 42;\n');
  });

  it('writes granary.json: the effective definition with the override applied and the resolved commit', async () => {
    const repo = await sampleRepo();
    const def = definition(repo.dir, { dependencies: { prelude: '^1.0.0' }, description: 'A demo' });
    const result = await packVersion(def, {
      registry: localRegistry(),
      override: { reason: 'prelude 1.x breaks on 2.x', dependencies: { prelude: '>=1.0.0 <1.5.0' } },
    });
    const manifest = (await readTar(result.bytes)).find((e) => e.path === 'demo-1.0.0/granary.json')!;
    const json = JSON.parse(manifest.data.toString());
    expect(json).toMatchObject({
      name: 'demo',
      version: '1.0.0',
      commit: result.commit,
      dependencies: { prelude: '>=1.0.0 <1.5.0' },
      override: { reason: 'prelude 1.x breaks on 2.x' },
      description: 'A demo',
      format: 1,
    });
    expect(result.commit).toBe(await repo.head());
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
  });

  it('uses the asset stem for scoped names and packs only the subdir', async () => {
    const repo = await createRepo();
    await repo.write('packages/core/lib.ts', 'export {};\n');
    await repo.write('packages/other/x.ts', 'other\n');
    await repo.commit('x');
    await repo.tag('core-v2.0.0');
    const result = await packVersion(
      definition(repo.dir, {
        name: '@acme/core',
        version: '2.0.0',
        ref: 'core-v2.0.0',
        location: { git: `file://${repo.dir}`, subdir: 'packages/core' },
      }),
      { registry: localRegistry() },
    );
    expect(result.fileName).toBe('acme_core-2.0.0.tar.gz');
    expect((await readTar(result.bytes)).map((e) => e.path)).toEqual([
      'acme_core-2.0.0/',
      'acme_core-2.0.0/granary.json',
      'acme_core-2.0.0/lib.ts',
    ]);
  });

  it('applies include and exclude globs, dotfiles only when named, and the fixed excludes always', async () => {
    const repo = await sampleRepo();
    await repo.write('.github/workflows/ci.yml', 'on: push\n');
    await repo.write('src/index.test.ts', 'test\n');
    await repo.write('src/.env', 'SECRET=1\n');
    await repo.write('sub/.hg/store', 'x\n');
    await repo.commit('more');
    await repo.git('tag', '-f', 'v1.0.0');
    const paths = async (files: { include?: string[]; exclude?: string[] }) =>
      (await readTar((await packVersion(definition(repo.dir, { files }), { registry: localRegistry() })).bytes))
        .filter((e) => e.type === 'File')
        .map((e) => e.path.slice('demo-1.0.0/'.length));
    expect(await paths({})).toEqual([
      'B-upper.txt',
      'README.md',
      'a-b/c.txt',
      'bin/cli.sh',
      'granary.json',
      'src/index.test.ts',
      'src/index.ts',
      'src/util/strings.ts',
    ]);
    expect(
      await paths({ include: ['src', 'README.md', '.github', 'node_modules'], exclude: ['**/*.test.ts'] }),
    ).toEqual(['.github/workflows/ci.yml', 'README.md', 'granary.json', 'src/index.ts', 'src/util/strings.ts']);
    expect(await paths({ include: ['**', '.eslintrc'], exclude: ['src/util', 'bin/'] })).toEqual([
      '.eslintrc',
      'B-upper.txt',
      'README.md',
      'a-b/c.txt',
      'granary.json',
      'src/index.test.ts',
      'src/index.ts',
    ]);
  });

  it('records long and non-ASCII paths with PAX headers that GNU tar reads back', async () => {
    const repo = await createRepo();
    const long = `${'d'.repeat(120)}/${'f'.repeat(110)}.txt`;
    await repo.write(long, 'long path\n');
    await repo.write('übersicht.md', 'unicode\n');
    await repo.commit('x');
    await repo.tag('v1.0.0');
    const result = await packVersion(definition(repo.dir), { registry: localRegistry() });
    const dir = await tempDir();
    await writeFile(join(dir, 'p.tar.gz'), result.bytes);
    const { stdout } = await run('tar', ['-tzf', 'p.tar.gz'], { cwd: dir });
    expect(stdout.split('\n')).toEqual(expect.arrayContaining([`demo-1.0.0/${long}`, 'demo-1.0.0/übersicht.md']));
    expect(await contentHashOfTarball(result.bytes)).toBe(result.contentHash);
  });
});
