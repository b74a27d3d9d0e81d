// Owner consent and a maintainer's bulk change: every owner listed on a new package approves the pull
// request (or a trustee does); a maintainer's new packages (an import) are not held to the owner rules and
// name similarity, and the gate says what it waived.
import { describe, expect, it } from 'vitest';
import { branch, definition, defPath, judge, registry, validatePr } from './fixture.js';

describe('owner-consent', () => {
  it('asks every listed owner to approve a new package, unless a trustee does', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { owners: ['alice', 'bob'] }));
    const unasked = await judge(repo, 'alice');
    expect(unasked.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:8:1: error: bob is listed as an owner of left-pad but neither opened nor approved this pull request.*\[owner-consent\]$/,
      ),
    ]);
    expect((await validatePr(repo, 'alice', '--offline', '--approved-by', 'bob')).code).toBe(0);
    expect((await validatePr(repo, 'alice', '--offline', '--approved-by', 'tina')).code).toBe(0);
    // The nearest passing change: the author as the only owner.
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { owners: ['alice'] }));
    expect((await judge(repo, 'alice')).code).toBe(0);
  });
});

describe("a maintainer's bulk change", () => {
  it('waives the owner rules and name similarity for new packages, and says so once', async () => {
    const repo = await registry({ [defPath('arrays', '1.0.0')]: definition('arrays', '1.0.0') });
    await branch(repo);
    // As an import writes them: placeholder owners that are not the maintainer, a name close to another.
    await repo.write(defPath('maps', '1.0.0'), definition('maps', '1.0.0', { owners: ['purescript'] }));
    await repo.write(defPath('arrayz', '1.0.0'), definition('arrayz', '1.0.0', { owners: ['someone'] }));
    const run = await judge(repo, 'maya', '--json');
    const report = JSON.parse(run.out) as {
      ok: boolean;
      problems: Array<{ rule: string; severity: string; message: string }>;
    };
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([
      expect.objectContaining({
        rule: 'waived',
        severity: 'warning',
        message: expect.stringMatching(/maintainer's new packages .*: not-owner ×2, name-similar ×1/),
      }),
    ]);
    // The same change by someone else is held to every rule.
    const stranger = await validatePr(repo, 'mallory', '--offline');
    expect(stranger.lines.map((l) => /\[([a-z-]+)\]$/.exec(l)?.[1])).toEqual(
      expect.arrayContaining(['not-owner', 'name-similar']),
    );
  });
});
