// `granary validate` without --base: every file of the registry, and the rules across files.
import { describe, expect, it } from 'vitest';
import { validateRegistry } from '../../curator/validate/index.js';
import { Git } from '../../curator/git/repository.js';
import { gitTree } from '../../curator/git/tree.js';
import { cli, definition, defPath, registry } from './fixture.js';

describe('granary validate (whole registry)', () => {
  it('passes a consistent registry and counts its files', async () => {
    const repo = await registry({
      [defPath('base-lib', '1.0.0')]: definition('base-lib', '1.0.0'),
      [defPath('app', '1.0.0')]: definition('app', '1.0.0', { dependencies: { 'base-lib': '^1.0.0' } }),
      'overrides/app/1.0.0.yaml': 'reason: deprecated in favour of app2\ndeprecated: use app2\n',
    });
    const run = await cli('validate', '--offline', '--repo', repo.dir);
    expect(run.code).toBe(0);
    expect(run.out).toBe('no problems (checked 4 files)\n');
  });

  it('finds cycles, missing dependencies, orphan overrides, missing owners and re-used unpublished versions', async () => {
    const repo = await registry({
      [defPath('egg', '1.0.0')]: definition('egg', '1.0.0', { dependencies: { chicken: '^1.0.0' } }),
      [defPath('chicken', '1.0.0')]: definition('chicken', '1.0.0', { dependencies: { egg: '^1.0.0', ghost: '*' } }),
      [defPath('lonely', '1.0.0')]: definition('lonely', '1.0.0', { owners: undefined }),
      'overrides/nothing/1.0.0.yaml': 'reason: x\nyanked: true\n',
      'registry.yaml': 'name: test\nlimits:\n  maxPackagesPerPr: 0\n',
    });
    await repo.git('rm', '-q', defPath('egg', '1.0.0'));
    await repo.commit('unpublish egg');
    await repo.write(defPath('egg', '1.0.0'), definition('egg', '1.0.0', { dependencies: { chicken: '^1.0.0' } }));
    await repo.commit('bring it back');
    const run = await cli('validate', '--offline', '--repo', repo.dir);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^overrides\/nothing\/1\.0\.0\.yaml:1:1: error: there is no packages\/nothing\/1\.0\.0\.yaml to override \[override-orphan\]$/,
      ),
      expect.stringMatching(
        /^packages\/chicken\/1\.0\.0\.yaml:11:3: error: these versions depend on each other in a cycle: chicken@1\.0\.0, egg@1\.0\.0 \[dependency-cycle\]$/,
      ),
      expect.stringMatching(
        /^packages\/chicken\/1\.0\.0\.yaml:12:3: error: dependency ghost is not in the registry.* \[dependency-missing\]$/,
      ),
      expect.stringMatching(
        /^packages\/egg\/1\.0\.0\.yaml:2:1: error: egg@1\.0\.0 was unpublished before.* \[version-unpublished\]$/,
      ),
      expect.stringMatching(
        /^packages\/lonely\/1\.0\.0\.yaml:1:1: error: the first version of lonely must list its owners \[owners-required\]$/,
      ),
      expect.stringMatching(/^registry\.yaml:3:3: error: limits\.maxPackagesPerPr must be >= 1 \[schema\]$/),
    ]);
  });

  it('is the same function the CLI calls (validateRegistry over a git tree)', async () => {
    const repo = await registry({ [defPath('left-pad', '1.0.0')]: `${definition('left-pad', '1.0.0')}extra: 1\n` });
    const git = new Git(repo.dir);
    try {
      const tree = await gitTree(git, 'HEAD');
      const report = await validateRegistry(tree);
      expect(report.problems).toEqual([
        expect.objectContaining({ file: 'packages/left-pad/1.0.0.yaml', line: 10, col: 1, rule: 'schema' }),
      ]);
      expect(report.checkedFiles).toBe(2);
    } finally {
      git.close();
    }
  });
});
