// The impact of a change on what resolves, and breaks-dependents: yanking a version others can only resolve
// with needs a trustee; a bound fix that changes what others get is reported.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { branch, definition, defPath, judge, registry, validatePr } from './fixture.js';

const base = () =>
  registry({
    [defPath('strpad', '1.2.0')]: definition('strpad', '1.2.0'),
    [defPath('strpad', '1.3.0')]: definition('strpad', '1.3.0'),
    [defPath('tablefmt', '0.1.0')]: definition('tablefmt', '0.1.0', { dependencies: { strpad: '>=1.0.0 <1.3.0' } }),
    [defPath('reporter', '1.0.0')]: definition('reporter', '1.0.0', {
      dependencies: { tablefmt: '^0.1.0', strpad: '^1.2.0' },
    }),
  });

describe('impact and breaks-dependents', () => {
  it('refuses an owner yanking a version others can only resolve with, naming them; a trustee may', async () => {
    const repo = await base();
    await branch(repo);
    await repo.write('overrides/strpad/1.2.0.yaml', stringify({ reason: 'a bug', yanked: true }));
    const run = await judge(repo, 'alice', '--json');
    const report = JSON.parse(run.out) as { problems: Array<{ rule: string; message: string }>; impact: unknown[] };
    expect(report.problems.map((p) => p.rule)).toEqual(['breaks-dependents']);
    expect(report.problems[0]!.message).toMatch(
      /yanking strpad@1\.2\.0 leaves reporter@1\.0\.0, tablefmt@0\.1\.0 unable to resolve/,
    );
    expect(report.impact).toEqual([
      expect.objectContaining({ package: 'reporter@1.0.0', effect: 'stops-resolving' }),
      expect.objectContaining({ package: 'tablefmt@0.1.0', effect: 'stops-resolving' }),
    ]);
    const trustee = await validatePr(repo, 'alice', '--offline', '--approved-by', 'tina');
    expect(trustee.code).toBe(0);
    expect(trustee.out).toContain('impact: reporter@1.0.0 stops resolving');
  });

  it('passes a yank nobody depends on, and reports a bound fix that changes what others get', async () => {
    const repo = await base();
    await branch(repo);
    await repo.write('overrides/strpad/1.3.0.yaml', stringify({ reason: 'a bug', yanked: true }));
    const quiet = await judge(repo, 'alice');

    expect(quiet.code).toBe(0);
    expect(quiet.out).not.toContain('impact:');

    await repo.git('rm', '-q', 'overrides/strpad/1.3.0.yaml');
    await repo.write(
      'overrides/tablefmt/0.1.0.yaml',
      stringify({ reason: 'works with strpad 1.3', dependencies: { strpad: '>=1.0.0 <1.4.0' } }),
    );
    // Bounds are a trustee's to fix.
    const rebound = await judge(repo, 'alice', '--approved-by', 'tina');
    expect(rebound.code).toBe(0);
    expect(rebound.out).toContain('impact: reporter@1.0.0 resolves differently: strpad 1.2.0 → 1.3.0');
  });
});
