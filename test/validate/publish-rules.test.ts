// Each rule of the PR gate refuses a bad pull request at the right file:line, and passes the nearest good one.
import { describe, expect, it } from 'vitest';
import { branch, definition, defPath, judge, registry, validatePr } from './fixture.js';

describe('granary validate --base: publishing', () => {
  it('accepts a first package whose author is an owner, and refuses one whose author is not', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0'));
    const good = await judge(repo, 'alice');
    expect(good.code).toBe(0);
    expect(good.out).toContain('no problems (checked 1 file; operations: new package left-pad@1.0.0)');
    const bad = await validatePr(repo, 'mallory', '--offline');
    expect(bad.code).toBe(1);
    expect(bad.lines).toEqual([
      'packages/left-pad/1.0.0.yaml:8:1: error: the author of a new package must be one of its owners: add mallory to owners [not-owner]',
    ]);
  });

  it('requires owners on the first version', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { owners: undefined }));
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual([
      expect.stringMatching(/^packages\/left-pad\/1\.0\.0\.yaml:1:1: error: .*owners.* \[owners-required\]$/),
    ]);
  });

  it('refuses unknown keys at their line (schema), and passes without them', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), `${definition('left-pad', '1.0.0')}autor: alice\n`);
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(/^packages\/left-pad\/1\.0\.0\.yaml:10:1: error: unknown key "autor".*\[schema\]$/),
    ]);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0'));
    expect((await judge(repo, 'alice')).code).toBe(0);
  });

  it('refuses a file whose path disagrees with name and version', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.1'));
    await repo.write(defPath('right-pad', '1.0.0'), definition('left-pda', '1.0.0'));
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:2:1: error: version "1\.0\.1" does not match the file name 1\.0\.0\.yaml \[path-mismatch\]$/,
      ),
      expect.stringMatching(/^packages\/right-pad\/1\.0\.0\.yaml:1:1: error: name "left-pda" .*\[path-mismatch\]$/),
    ]);
  });

  it('refuses bad name syntax in the file and in the path', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write('packages/Left_Pad/1.0.0.yaml', definition('Left_Pad', '1.0.0'));
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^packages\/Left_Pad\/1\.0\.0\.yaml:1:1: error: the folder name "?Left_Pad"? is not a package name.*\[name-syntax\]$/,
      ),
    ]);
  });

  it('refuses reserved names unless a trustee approves', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('forbidden', '1.0.0'), definition('forbidden', '1.0.0'));
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/forbidden\/1\.0\.0\.yaml:1:1: error: the name forbidden is reserved.*\[name-reserved\]$/,
      ),
    ]);
    expect((await validatePr(repo, 'alice', '--offline', '--approved-by', 'tina')).code).toBe(0);
  });

  it('refuses a name too similar to an existing one unless a trustee approves', async () => {
    const repo = await registry({ [defPath('left-pad', '1.0.0')]: definition('left-pad', '1.0.0') });
    await branch(repo);
    await repo.write(defPath('leftpad', '1.0.0'), definition('leftpad', '1.0.0', { owners: ['bob'] }));
    const bad = await judge(repo, 'bob');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/leftpad\/1\.0\.0\.yaml:1:1: error: the name leftpad looks the same as left-pad \(in the registry\).*\[name-similar\]$/,
      ),
    ]);
    expect((await validatePr(repo, 'bob', '--offline', '--trustee')).code).toBe(0);
    await repo.git('rm', '-q', '-r', 'packages/leftpad');
    await repo.write(defPath('string-pad', '1.0.0'), definition('string-pad', '1.0.0', { owners: ['bob'] }));
    expect((await judge(repo, 'bob')).code).toBe(0);
  });
});
