// core/git/cat-file.ts: every object read of a run through one `git cat-file --batch`, answers in order.
import { describe, expect, it } from 'vitest';
import { LimitError } from '../../core/errors.js';
import { CatFile, isObjectSpec } from '../../core/git/cat-file.js';
import { gitRunner, type GitRunner } from '../../core/git/run.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

/** The real runner, counting the processes it starts. */
function countingRunner(): GitRunner & { started: number } {
  const runner = {
    started: 0,
    run: gitRunner.run,
    start(...args: Parameters<GitRunner['start']>) {
      runner.started++;
      return gitRunner.start(...args);
    },
  };
  return runner;
}

describe('CatFile', () => {
  it('reads objects in the order asked through one process, large and small, present or not', async () => {
    const repo = await createRepo();
    await repo.write('a', 'alpha\n');
    await repo.write('b', Buffer.alloc(2_000_000, 7));
    await repo.write('dir/c', '');
    const head = await repo.commit('x');
    const ids = (await repo.git('ls-tree', 'HEAD')).split('\n').map((l) => l.split(/\s+/)[2]!);
    const runner = countingRunner();
    const objects = new CatFile(repo.dir, { runner });
    try {
      const answers = await Promise.all([
        objects.read(ids[1]!),
        objects.read(`${head}:a`),
        objects.read('HEAD:dir/c'),
        objects.read(`${head}:missing`),
        objects.read(ids[1]!),
        objects.object('HEAD:dir'),
        objects.commitId('main'),
        objects.commitId('refs/heads/nothing'),
      ]);
      expect(answers[0]!.length).toBe(2_000_000);
      expect(answers[1]!.toString()).toBe('alpha\n');
      expect(answers[2]!.length).toBe(0);
      expect(answers[3]).toBeUndefined();
      expect(answers[4]!.equals(answers[0] as Buffer)).toBe(true);
      expect(answers[5]).toMatchObject({ type: 'tree' });
      expect(answers[6]).toBe(head);
      expect(answers[7]).toBeUndefined();
      // a tree is not a blob
      expect(await objects.read('HEAD:dir')).toBeUndefined();
      expect(runner.started).toBe(1);
    } finally {
      objects.close();
    }
  });

  it('refuses an object over the size cap and goes on answering', async () => {
    const repo = await createRepo();
    await repo.write('big', Buffer.alloc(100_000, 1));
    await repo.write('small', 'ok');
    await repo.commit('x');
    const objects = new CatFile(repo.dir);
    try {
      await expect(objects.read('HEAD:big', { maxBytes: 1000 })).rejects.toBeInstanceOf(LimitError);
      expect((await objects.read('HEAD:small'))?.toString()).toBe('ok');
    } finally {
      objects.close();
    }
  });

  it('reports a directory that is not a repository', async () => {
    const objects = new CatFile(await tempDir('granary-not-a-repo-'));
    await expect(objects.read('HEAD:x')).rejects.toThrow(/git cat-file stopped before answering/);
    objects.close();
  });

  it('passes only object names that cannot be read as anything else', () => {
    for (const spec of [
      'HEAD',
      'HEAD^{commit}',
      'refs/tags/v1.0.0+build^{commit}',
      '0123456789abcdef0123456789abcdef01234567:weird name\twith tab',
      'main~1:packages/a/1.0.0.yaml',
    ])
      expect(isObjectSpec(spec), spec).toBe(true);
    for (const spec of ['', '-x', 'a..b', 'HEAD@{1}', ':/message', 'HEAD:a\nb', 'HEAD\n', 'a b', 'x^{/re}'])
      expect(isObjectSpec(spec), JSON.stringify(spec)).toBe(false);
  });
});
