// The git-backed readers: tree listing and contents, diffs, history; revisions checked before they reach git.
import { describe, expect, it } from 'vitest';
import { diffChanges } from '../../curator/git/diff.js';
import { addedAt, deletedPaths } from '../../curator/git/history.js';
import { checkRev } from '../../curator/git/revision.js';
import { gitTree } from '../../curator/git/tree.js';
import { createRepo } from '../helpers/git.js';

describe('git readers', () => {
  it('lists a tree with kinds and sizes, and reads many blobs through one process', async () => {
    const repo = await createRepo();
    for (let i = 0; i < 200; i++) await repo.write(`packages/p${i}/1.0.0.yaml`, `name: p${i}\n`);
    await repo.link('packages/link', 'p1');
    await repo.write('weird name\twith tab', 'ok');
    await repo.commit('files');
    const tree = await gitTree(repo.dir, 'HEAD');
    try {
      const entries = await tree.list('packages/');
      expect(entries).toHaveLength(201);
      expect(entries.find((e) => e.path === 'packages/link')).toEqual({
        path: 'packages/link',
        kind: 'symlink',
        size: 2,
      });
      const texts = await Promise.all(
        entries.filter((e) => e.kind === 'file').map(async (e) => (await tree.read(e.path))!.toString()),
      );
      expect(texts).toContain('name: p199\n');
      expect((await tree.read('weird name\twith tab'))?.toString()).toBe('ok');
      expect(await tree.read('packages/none.yaml')).toBeUndefined();
    } finally {
      tree.close();
    }
  });

  it('diffs two commits with renames as a deletion plus an addition', async () => {
    const repo = await createRepo();
    await repo.write('packages/a/1.0.0.yaml', 'a\n');
    await repo.write('packages/b/1.0.0.yaml', 'b\n');
    const base = await repo.commit('base');
    await repo.git('mv', 'packages/a/1.0.0.yaml', 'packages/a/1.0.1.yaml');
    await repo.write('packages/b/1.0.0.yaml', 'b2\n');
    await repo.link('packages/c', 'b');
    const head = await repo.commit('head');
    const changes = await diffChanges(repo.dir, base, head);
    expect(changes).toEqual([
      { path: 'packages/a/1.0.0.yaml', status: 'deleted', kind: 'file' },
      { path: 'packages/a/1.0.1.yaml', status: 'added', kind: 'file' },
      { path: 'packages/b/1.0.0.yaml', status: 'modified', kind: 'file' },
      { path: 'packages/c', status: 'added', kind: 'symlink' },
    ]);
  });

  it('finds deleted definitions and when a file was added', async () => {
    const repo = await createRepo();
    await repo.write('packages/a/1.0.0.yaml', 'a\n');
    await repo.commit('add', '2024-03-01T10:00:00Z');
    await repo.git('rm', '-q', 'packages/a/1.0.0.yaml');
    await repo.write('packages/b/1.0.0.yaml', 'b\n');
    await repo.commit('rm', '2024-03-02T10:00:00Z');
    expect([...(await deletedPaths(repo.dir, 'HEAD'))]).toEqual(['packages/a/1.0.0.yaml']);
    expect((await addedAt(repo.dir, 'HEAD', 'packages/b/1.0.0.yaml'))?.toISOString()).toBe('2024-03-02T10:00:00.000Z');
    expect(await addedAt(repo.dir, 'HEAD', 'packages/*')).toBeUndefined();
  });

  it('refuses revisions that git could read as options or ranges', () => {
    for (const rev of ['-x', '--upload-pack=evil', 'a..b', 'a...b', 'HEAD@{0}', 'a b', 'a\nb', '', 'x.lock', 'a//b']) {
      expect(() => checkRev(rev), rev).toThrow(/not a revision/);
    }
    for (const rev of ['main', 'HEAD~2', 'HEAD^', 'v1.0.0', 'feature/x', '0123456789abcdef0123456789abcdef01234567'])
      expect(checkRev(rev)).toBe(rev);
  });
});
