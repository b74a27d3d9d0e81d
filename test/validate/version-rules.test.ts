// Each rule about versions, dependencies and sources refuses a bad pull request at the right file:line, and passes the nearest good one.
import { describe, expect, it } from 'vitest';
import { branch, definition, defPath, judge, registry, validatePr } from './fixture.js';

describe('granary validate --base: versions, dependencies, sources', () => {
  it('refuses a version that exists, and one that was unpublished before', async () => {
    const repo = await registry({
      [defPath('left-pad', '1.0.0')]: definition('left-pad', '1.0.0'),
      [defPath('left-pad', '1.1.0')]: definition('left-pad', '1.1.0'),
    });
    await repo.git('rm', '-q', defPath('left-pad', '1.1.0'));
    await repo.commit('unpublish 1.1.0');
    await branch(repo);
    await repo.write(defPath('left-pad', '1.1.0'), definition('left-pad', '1.1.0'));
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.1\.0\.yaml:2:1: error: left-pad@1\.1\.0 was published and unpublished before.*\[version-unpublished\]$/,
      ),
    ]);
    await repo.git('mv', defPath('left-pad', '1.1.0'), defPath('left-pad', '1.1.1'));
    await repo.write(defPath('left-pad', '1.1.1'), definition('left-pad', '1.1.1'));
    const good = await judge(repo, 'alice');
    expect(good.code).toBe(0);
    expect(good.out).toContain('new version left-pad@1.1.1');
  });

  it('refuses adding a version that main published meanwhile (version-exists)', async () => {
    const repo = await registry({ [defPath('left-pad', '1.0.0')]: definition('left-pad', '1.0.0') });
    await branch(repo);
    await repo.write(defPath('left-pad', '1.1.0'), definition('left-pad', '1.1.0'));
    await repo.commit('pr adds 1.1.0');
    await repo.git('checkout', '-q', 'main');
    await repo.write(defPath('left-pad', '1.1.0'), definition('left-pad', '1.1.0', { description: 'other' }));
    await repo.commit('main adds 1.1.0');
    const run = await validatePr(repo, 'alice', '--offline');
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.1\.0\.yaml:2:1: error: left-pad@1\.1\.0 is already published \[version-exists\]$/,
      ),
    ]);
  });

  it('refuses range syntax errors, missing and unsatisfiable dependencies; accepts one added in the same PR', async () => {
    const repo = await registry({
      [defPath('base-lib', '1.0.0')]: definition('base-lib', '1.0.0'),
      [defPath('spaced', '1.0.0')]: definition('spaced', '1.0.0'),
    });
    await branch(repo);
    await repo.write(
      defPath('app', '1.0.0'),
      definition('app', '1.0.0', {
        dependencies: { 'base-lib': '>=2.0.0 <3.0.0', nowhere: '^1.0.0', broken: '>=>1', spaced: '>= 1.0.0  < 2.0.0' },
      }),
    );
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/app\/1\.0\.0\.yaml:11:3: error: no version of base-lib matches ">=2\.0\.0 <3\.0\.0" \(published: 1\.0\.0\) \[dependency-unsatisfiable\]$/,
      ),
      expect.stringMatching(
        /^packages\/app\/1\.0\.0\.yaml:12:3: error: dependency nowhere is not in the registry.*\[dependency-missing\]$/,
      ),
      expect.stringMatching(
        /^packages\/app\/1\.0\.0\.yaml:13:3: error: dependency broken: ">=>1" is not a comparator, an x-range or "\*".*\[range-syntax\]$/,
      ),
      // In the grammar's reading but not written in normal form: the message gives the fix.
      'packages/app/1.0.0.yaml:14:3: error: dependency spaced: ">= 1.0.0  < 2.0.0" is not in normal form: write ">=1.0.0 <2.0.0" [range-syntax]',
    ]);
    await repo.write(
      defPath('app', '1.0.0'),
      definition('app', '1.0.0', { dependencies: { 'base-lib': '^1.0.0', nowhere: '^1.0.0' } }),
    );
    await repo.write(defPath('nowhere', '1.0.0'), definition('nowhere', '1.0.0'));
    expect((await judge(repo, 'alice')).code).toBe(0);
  });

  it('refuses a dependency cycle across versions, and passes when the range misses the cycle', async () => {
    const repo = await registry({
      [defPath('egg', '1.0.0')]: definition('egg', '1.0.0', { dependencies: { chicken: '^1.0.0' } }),
      [defPath('chicken', '0.9.0')]: definition('chicken', '0.9.0'),
    });
    await branch(repo);
    await repo.write(defPath('chicken', '1.0.0'), definition('chicken', '1.0.0', { dependencies: { egg: '^1.0.0' } }));
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/chicken\/1\.0\.0\.yaml:11:3: error: dependency cycle: chicken@1\.0\.0 → egg@1\.0\.0 → chicken@1\.0\.0 \[dependency-cycle\]$/,
      ),
    ]);
    await repo.write(defPath('chicken', '1.0.0'), definition('chicken', '1.0.0', { dependencies: {} }));
    expect((await judge(repo, 'alice')).code).toBe(0);
  });

  it('refuses an edit of a published definition at the first changed line', async () => {
    const repo = await registry({ [defPath('left-pad', '1.0.0')]: definition('left-pad', '1.0.0') });
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { description: 'Better words.' }));
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:3:1: error: published definitions are never edited.*\[published-immutable\]$/,
      ),
    ]);
  });

  it('refuses a license that is not an SPDX expression', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { license: 'MIT or Apache 2' }));
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:4:1: error: .*not an SPDX license expression.*\[license\]$/,
      ),
    ]);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { license: '(MIT OR Apache-2.0)' }));
    expect((await judge(repo, 'alice')).code).toBe(0);
  });

  it('refuses sources from hosts and schemes registry.yaml does not allow', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(
      defPath('left-pad', '1.0.0'),
      definition('left-pad', '1.0.0', { location: { git: 'file:///tmp/left-pad' } }),
    );
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:6:3: error: this registry does not accept file:\/\/ sources.*\[source-not-allowed\]$/,
      ),
    ]);
    await repo.write(
      defPath('left-pad', '1.0.0'),
      definition('left-pad', '1.0.0', { location: { git: 'https://github.com/alice/left-pad.git' } }),
    );
    expect((await judge(repo, 'alice')).code).toBe(0);
  });
});
