// Whole-graph solvability: a new version whose dependencies cannot resolve together (each range matches some
// version, but no set of versions satisfies them all) is refused with the resolver's explanation on its
// dependencies line; the nearest installable version passes; an override that makes a version uninstallable too.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { branch, definition, defPath, judge, registry } from './fixture.js';

const base = () =>
  registry({
    [defPath('strpad', '1.2.0')]: definition('strpad', '1.2.0'),
    [defPath('strpad', '1.3.0')]: definition('strpad', '1.3.0'),
    // tablefmt 0.1.0 works with strpad 1.2 only.
    [defPath('tablefmt', '0.1.0')]: definition('tablefmt', '0.1.0', { dependencies: { strpad: '>=1.0.0 <1.3.0' } }),
    [defPath('padlib', '1.0.0')]: definition('padlib', '1.0.0', { dependencies: { strpad: '<1.3.0' } }),
  });

describe('the unsolvable rule', () => {
  it('refuses a version whose dependencies exclude each other, explaining why, on its dependencies line', async () => {
    const repo = await base();
    await branch(repo);
    await repo.write(
      defPath('reporter', '1.0.0'),
      definition('reporter', '1.0.0', { dependencies: { tablefmt: '^0.1.0', strpad: '^1.3.0' } }),
    );
    const run = await judge(repo, 'alice');
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^packages\/reporter\/1\.0\.0\.yaml:10:1: error: reporter@1\.0\.0 could not be installed: /,
      ),
    ]);
    // The resolver's own explanation, as `granary install` would print it.
    expect(run.out).toContain(
      'Because tablefmt@0.1.0 depends on strpad >=1.0.0 <1.3.0 and reporter@1.0.0 depends on strpad ^1.3.0, tablefmt@0.1.0 and reporter@1.0.0 cannot be used together.',
    );
    expect(run.out).toMatch(/cannot be satisfied\. \[unsolvable\]/);
  });

  it('passes the nearest installable version: ranges that meet', async () => {
    const repo = await base();
    await branch(repo);
    await repo.write(
      defPath('reporter', '1.0.0'),
      definition('reporter', '1.0.0', { dependencies: { tablefmt: '^0.1.0', strpad: '^1.2.0' } }),
    );
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('refuses an override whose new bounds leave the version uninstallable', async () => {
    const repo = await base();
    await branch(repo);
    await repo.write(
      'overrides/tablefmt/0.1.0.yaml',
      stringify({ reason: 'strpad 1.3 is incompatible', dependencies: { strpad: '>=9.0.0' } }),
    );
    const run = await judge(repo, 'alice', '--approved-by', 'tina');
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^overrides\/tablefmt\/0\.1\.0\.yaml:\d+:\d+: error: .*\[(unsolvable|dependency-unsatisfiable)\]$/,
      ),
    ]);
  });
});
