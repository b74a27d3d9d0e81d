import { describe, expect, it } from 'vitest';
import { ConcurrencyError, UsageError } from '../../core/errors.js';
import { Git } from '../../curator/git/repository.js';
import { commitIndex, listIndexFiles } from '../../curator/index/index-branch.js';
import { createRepo } from '../helpers/git.js';

const files = (n: number, tag: string) =>
  new Map<string, Buffer | null>(
    Array.from({ length: n }, (_, i) => [
      `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}/p/pkg-${i}`,
      Buffer.from(`${tag} ${i}\n`),
    ]),
  );

describe('index branch commits', () => {
  it('writes a large change through packed trees, then only the changed blobs, leaving no scratch ref', async () => {
    const repo = await createRepo();
    await repo.write('README.md', 'main\n');
    await repo.commit('main');
    const git = new Git(repo.dir);
    const first = await commitIndex(git, {
      branch: 'index',
      parent: undefined,
      changes: files(100, 'v1'),
      message: 'full',
      date: '2024-01-01T00:00:00Z',
    });
    expect(first.blobs).toBe(100);
    const listed = await listIndexFiles(git, first.commit);
    expect(listed.size).toBe(100);
    expect(await git.text(['cat-file', 'blob', `${first.commit}:bb/p/pkg-27`])).toBe('v1 27');
    expect(await git.text(['for-each-ref', 'refs/granary-scratch/'])).toBe('');

    const change = new Map<string, Buffer | null>([
      ['bb/p/pkg-27', Buffer.from('v2 27\n')],
      ['aa/p/pkg-0', null],
    ]);
    const second = await commitIndex(git, {
      branch: 'index',
      parent: first.commit,
      changes: change,
      message: 'one',
      date: '2024-01-02T00:00:00Z',
    });
    expect(second.blobs).toBe(1);
    const after = await listIndexFiles(git, second.commit);
    expect(after.size).toBe(99);
    expect(after.get('cc/p/pkg-54')).toBe(listed.get('cc/p/pkg-54'));
    expect(await git.text(['cat-file', 'blob', `${second.commit}:bb/p/pkg-27`])).toBe('v2 27');
    // main and the work tree are untouched
    expect(await git.text(['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(await git.text(['status', '--porcelain'])).toBe('');
  });

  it('moves the branch only from the commit it started from (compare-and-swap)', async () => {
    const repo = await createRepo();
    await repo.commit('main');
    const git = new Git(repo.dir);
    const base = await commitIndex(git, {
      branch: 'index',
      parent: undefined,
      changes: files(2, 'a'),
      message: 'a',
      date: '2024-01-01T00:00:00Z',
    });
    await commitIndex(git, {
      branch: 'index',
      parent: base.commit,
      changes: files(2, 'b'),
      message: 'b',
      date: '2024-01-02T00:00:00Z',
    });
    await expect(
      commitIndex(git, {
        branch: 'index',
        parent: base.commit,
        changes: files(2, 'c'),
        message: 'c',
        date: '2024-01-03T00:00:00Z',
      }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      commitIndex(git, {
        branch: 'index',
        parent: undefined,
        changes: files(2, 'd'),
        message: 'd',
        date: '2024-01-03T00:00:00Z',
      }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await git.text(['rev-list', '--count', 'refs/heads/index'])).toBe('2');
  });

  it('refuses to write a branch that is checked out', async () => {
    const repo = await createRepo();
    await repo.commit('main');
    await expect(
      commitIndex(new Git(repo.dir), {
        branch: 'main',
        parent: await repo.head(),
        changes: files(1, 'x'),
        message: 'x',
        date: '2024-01-01T00:00:00Z',
      }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});
