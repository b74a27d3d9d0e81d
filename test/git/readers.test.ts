// The curator's git layer on a real repository: tree listing and contents, diffs, history, the index writer's commits; revisions checked before they reach git.
import { describe, expect, it } from 'vitest';
import { parseLsTree } from '../../core/git/ls-tree.js';
import { isBranchName } from '../../core/git/ref-names.js';
import { commitFiles } from '../../curator/git/commit-files.js';
import { diffChanges, diffTree, parseDiffTree } from '../../curator/git/diff-tree.js';
import { addedAt, deletedPaths, firstParentCommits } from '../../curator/git/history.js';
import { Git } from '../../curator/git/repository.js';
import { checkRev } from '../../curator/git/revision.js';
import { gitTree, listTree } from '../../curator/git/tree.js';
import { createRepo } from '../helpers/git.js';

describe('git readers', () => {
  it('lists a tree with kinds and sizes, and reads many blobs through one process', async () => {
    const repo = await createRepo();
    for (let i = 0; i < 200; i++) await repo.write(`packages/p${i}/1.0.0.yaml`, `name: p${i}\n`);
    await repo.link('packages/link', 'p1');
    await repo.write('weird name\twith tab', 'ok');
    await repo.commit('files');
    const git = new Git(repo.dir);
    try {
      const tree = await gitTree(git, 'HEAD');
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
      git.close();
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
    await repo.write('elsewhere', 'x');
    const head = await repo.commit('head');
    const git = new Git(repo.dir);
    try {
      expect(await diffChanges(git, base, head)).toEqual([
        { path: 'elsewhere', status: 'added', kind: 'file' },
        { path: 'packages/a/1.0.0.yaml', status: 'deleted', kind: 'file' },
        { path: 'packages/a/1.0.1.yaml', status: 'added', kind: 'file' },
        { path: 'packages/b/1.0.0.yaml', status: 'modified', kind: 'file' },
        { path: 'packages/c', status: 'added', kind: 'symlink' },
      ]);
      const limited = await diffTree(git, base, head, ['packages/b']);
      expect(limited).toEqual([
        {
          path: 'packages/b/1.0.0.yaml',
          status: 'modified',
          mode: '100644',
          blob: await repo.git('rev-parse', `${head}:packages/b/1.0.0.yaml`),
          oldBlob: await repo.git('rev-parse', `${base}:packages/b/1.0.0.yaml`),
        },
      ]);
      expect((await diffTree(git, undefined, base)).map((c) => `${c.status} ${c.path}`)).toEqual([
        'added packages/a/1.0.0.yaml',
        'added packages/b/1.0.0.yaml',
      ]);
    } finally {
      git.close();
    }
  });

  it('walks main first-parent, and finds deleted definitions and when a file was added', async () => {
    const repo = await createRepo();
    await repo.write('packages/a/1.0.0.yaml', 'a\n');
    const first = await repo.commit('add', '2024-03-01T10:00:00Z');
    await repo.git('rm', '-q', 'packages/a/1.0.0.yaml');
    await repo.write('packages/b/1.0.0.yaml', 'b\n');
    const second = await repo.commit('rm\n\nwith a body', '2024-03-02T10:00:00Z');
    const git = new Git(repo.dir);
    try {
      expect(await firstParentCommits(git, undefined, second)).toEqual([
        { id: first, parent: undefined, time: '2024-03-01T10:00:00.000Z', message: 'add' },
        { id: second, parent: first, time: '2024-03-02T10:00:00.000Z', message: 'rm\n\nwith a body' },
      ]);
      expect((await firstParentCommits(git, first, second)).map((c) => c.id)).toEqual([second]);
      await expect(firstParentCommits(git, second, first)).rejects.toThrow(/not on the first-parent history/);
      expect([...(await deletedPaths(git, 'HEAD'))]).toEqual(['packages/a/1.0.0.yaml']);
      expect((await addedAt(git, 'HEAD', 'packages/b/1.0.0.yaml'))?.toISOString()).toBe('2024-03-02T10:00:00.000Z');
      expect(await addedAt(git, 'HEAD', 'packages/*')).toBeUndefined();
    } finally {
      git.close();
    }
  });

  it('commits files onto a ref with one fast-import, and moves the ref only from the parent it started from', async () => {
    const repo = await createRepo();
    await repo.write('README.md', 'main\n');
    await repo.commit('main');
    const git = new Git(repo.dir);
    const identity = { name: 'Granary curator', email: 'curator@granary.invalid' };
    const files = new Map<string, Buffer | null>([
      ['a/b/c', Buffer.from('c\n')],
      ['d', Buffer.from('d\n')],
    ]);
    const first = await commitFiles(git, {
      ref: 'refs/heads/out',
      parent: undefined,
      changes: files,
      message: 'one\n',
      date: '2024-01-01T00:01:00.000Z',
      identity,
      reason: 'test',
    });
    expect(first).toMatchObject({ moved: true, blobs: 2 });
    expect(await repo.git('rev-parse', 'refs/heads/out')).toBe(first.commit);
    // Byte for byte the commit `git commit-tree` makes from the same tree, identity, date and message.
    const tree = await repo.git('rev-parse', `${first.commit}^{tree}`);
    expect(await repo.git('cat-file', 'commit', first.commit)).toBe(
      `tree ${tree}\nauthor Granary curator <curator@granary.invalid> 1704067260 +0000\ncommitter Granary curator <curator@granary.invalid> 1704067260 +0000\n\none`,
    );
    const second = await commitFiles(git, {
      ref: 'refs/heads/out',
      parent: first.commit,
      changes: new Map([['a/b/c', null]]),
      message: 'two\n',
      date: '2024-01-02T00:00:00Z',
      identity,
      reason: 'test',
    });
    expect(second.moved).toBe(true);
    // The emptied directory is gone with its last file.
    expect(await repo.git('ls-tree', '-r', '-t', '--name-only', second.commit)).toBe('d');
    const stale = await commitFiles(git, {
      ref: 'refs/heads/out',
      parent: first.commit,
      changes: new Map([['e', Buffer.from('e')]]),
      message: 'three\n',
      date: '2024-01-03T00:00:00Z',
      identity,
      reason: 'test',
    });
    expect(stale.moved).toBe(false);
    expect(await repo.git('rev-parse', 'refs/heads/out')).toBe(second.commit);
    expect(await repo.git('for-each-ref', 'refs/granary-scratch/')).toBe('');
    expect((await listTree(git, second.commit)).map((e) => e.path)).toEqual(['d']);
  });

  it('refuses revisions and branch names that git could read as options or ranges', () => {
    for (const rev of ['-x', '--upload-pack=evil', 'a..b', 'a...b', 'HEAD@{0}', 'a b', 'a\nb', '', 'x.lock', 'a//b']) {
      expect(() => checkRev(rev), rev).toThrow(/not a revision/);
    }
    for (const rev of ['main', 'HEAD~2', 'HEAD^', 'v1.0.0', 'feature/x', '0123456789abcdef0123456789abcdef01234567'])
      expect(checkRev(rev)).toBe(rev);
    for (const name of [
      '-b',
      'HEAD',
      'a..b',
      'a b',
      'a:b',
      'a~1',
      'a^',
      'a?',
      'a*',
      'a[',
      'a\\b',
      '.a',
      'a/.b',
      'a.lock',
      'a/',
      '/a',
      'a.',
      '@',
      'a@{1}',
      'a//b',
      '',
    ])
      expect(isBranchName(name), name).toBe(false);
    for (const name of ['index', 'granary/index', 'v1.0.0+build', 'ünïcode'])
      expect(isBranchName(name), name).toBe(true);
  });
});

describe('the git output parsers', () => {
  it('parses ls-tree with and without sizes, and refuses what is not ls-tree output', () => {
    const id = 'a'.repeat(40);
    const out = Buffer.from(
      [
        `100644 blob ${id}      12\tsrc/a.ts`,
        `100755 blob ${id}       3\tbin/x`,
        `120000 blob ${id}       1\tlink`,
        `160000 commit ${id}       -\tsub`,
        '',
      ].join('\0'),
    );
    expect(parseLsTree(out).map((e) => [e.path, e.kind, e.size])).toEqual([
      ['src/a.ts', 'file', 12],
      ['bin/x', 'file', 3],
      ['link', 'symlink', 1],
      ['sub', 'submodule', undefined],
    ]);
    expect(parseLsTree(Buffer.from(`100644 blob ${id}\tno size\0`))[0]).toMatchObject({
      path: 'no size',
      size: undefined,
    });
    expect(() => parseLsTree(Buffer.from('garbage\tx\0'))).toThrow(/unexpected git ls-tree output/);
  });

  it('parses diff-tree raw output, with or without a leading commit id', () => {
    const a = '1'.repeat(40);
    const b = '2'.repeat(40);
    const z = '0'.repeat(40);
    const raw = `${'3'.repeat(40)}\0:000000 100644 ${z} ${b} A\0new\0:100644 000000 ${a} ${z} D\0old\0:100644 100755 ${a} ${b} M\0changed\0`;
    expect(parseDiffTree(Buffer.from(raw))).toEqual([
      { path: 'new', status: 'added', mode: '100644', blob: b, oldBlob: undefined },
      { path: 'old', status: 'deleted', mode: '100644', blob: a, oldBlob: undefined },
      { path: 'changed', status: 'modified', mode: '100755', blob: b, oldBlob: a },
    ]);
  });
});
