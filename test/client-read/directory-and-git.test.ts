import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { openSource } from '../../client/sources/open-source.js';
import { SourceError, TrustError } from '../../core/errors.js';
import { createRepo, gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { sampleIndex, writeIndex } from './build-index.js';

describe('directory source', () => {
  it('reads an index directory and resolves relative asset bases against it', async () => {
    const built = await sampleIndex({ assetBase: '../assets' });
    const dir = await tempDir();
    await writeIndex(built.files, join(dir, 'index'));
    const registry = await openRegistry(join(dir, 'index'), { cwd: '/', trustKey: built.key.publicKey });
    expect(registry.source.description).toBe(join(dir, 'index'));
    expect((await registry.packages()).packages.map((p) => p.name)).toEqual(['a', 'b']);
    expect((await registry.assets())('b/b-1.0.0.tar.gz')).toBe(join(dir, 'assets', 'b', 'b-1.0.0.tar.gz'));
  });

  it('never follows a link out of the index directory', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, 'secret'), '{"name":"a"}\n');
    await writeIndex((await sampleIndex()).files, dir);
    await symlink(join(outside, 'secret'), join(dir, '1', 'z'));
    const source = await openSource(dir, { cwd: '/' });
    await expect(source.readFile('1/z')).rejects.toThrow(/outside the index directory/);
    await expect(source.readFile('../x')).rejects.toThrow(/refusing to read the index path/);
  });
});

describe('git clone source', () => {
  async function registryRepo(indexBranch?: string) {
    const built = await sampleIndex();
    const repo = await createRepo();
    await repo.write('registry.yaml', `name: test\n${indexBranch ? `indexBranch: ${indexBranch}\n` : ''}`);
    await repo.commit('main');
    await repo.git('checkout', '-q', '--orphan', indexBranch ?? 'index');
    await repo.git('rm', '-rq', '--cached', '.');
    await gitIn(repo.dir, 'clean', '-fdq');
    await writeIndex(built.files, repo.dir);
    await repo.commit('index');
    await repo.git('checkout', '-q', 'main');
    return { built, repo };
  }

  it('reads the index branch of a clone without checking it out', async () => {
    const { built, repo } = await registryRepo();
    const registry = await openRegistry(repo.dir, { cwd: '/', trustKey: built.key.publicKey });
    expect(registry.source.description).toMatch(/branch index at [0-9a-f]{12}/);
    expect((await registry.lines('a')).map((l) => l.version)).toEqual(['1.0.0', '1.1.0']);
    expect(await registry.lines('zzz')).toEqual([]);
    expect(await repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });

  it('reads origin/<branch> in a fresh clone, and the branch registry.yaml names', async () => {
    const { built, repo } = await registryRepo('published');
    const cloneDir = join(await tempDir(), 'clone');
    await gitIn(repo.dir, 'clone', '-q', repo.dir, cloneDir);
    expect(await gitIn(cloneDir, 'branch', '--list', 'published')).toBe('');
    const registry = await openRegistry(cloneDir, { cwd: '/', trustKey: built.key.publicKey });
    expect((await registry.lines('b')).map((l) => l.version)).toEqual(['1.0.0', '1.2.0']);
  });

  it('refuses a tampered target committed to the index branch, and never reads the plain copy', async () => {
    const { built, repo } = await registryRepo();
    const hashed = [...built.files.keys()].find((p) => /^1\/[0-9a-f]{64}\.a$/.test(p))!;
    await repo.git('checkout', '-q', 'index');
    await repo.write('1/a', built.files.get('1/a')!.replace('^1.0.0', '^1.2.0'));
    await repo.commit('tamper with the plain copy');
    await repo.git('checkout', '-q', 'main');
    const plain = await openRegistry(repo.dir, { cwd: '/', trustKey: built.key.publicKey });
    expect((await plain.lines('a'))[0]!.dependencies).toEqual({ b: '^1.0.0' });

    await repo.git('checkout', '-q', 'index');
    await repo.write(hashed, built.files.get(hashed)!.replace('^1.0.0', '^1.2.0'));
    await repo.commit('tamper with the target');
    await repo.git('checkout', '-q', 'main');
    const registry = await openRegistry(repo.dir, { cwd: '/', trustKey: built.key.publicKey });
    await expect(registry.lines('a')).rejects.toBeInstanceOf(TrustError);
  });

  it('explains a clone without an index branch', async () => {
    const repo = await createRepo();
    await repo.write('registry.yaml', 'name: test\n');
    await repo.commit('main');
    const error = await openRegistry(repo.dir, { cwd: '/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toContain('no index branch "index"');
  });
});
