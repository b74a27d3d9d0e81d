// Who may do what (DESIGN.md operations table): each permission rule refuses a bad pull request at the right file:line, and passes the nearest good one.
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../cli/commands/validate.js';
import { branch, cli, definition, defPath, judge, registry, validatePr } from './fixture.js';

describe('granary validate --base: who may do what', () => {
  const published = { [defPath('left-pad', '1.0.0')]: definition('left-pad', '1.0.0') };

  it('lets an owner (author or approver) or a trustee publish a new version, nobody else', async () => {
    const repo = await registry(published);
    await branch(repo);
    await repo.write(defPath('left-pad', '1.1.0'), definition('left-pad', '1.1.0', { owners: undefined }));
    const bad = await judge(repo, 'mallory');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.1\.0\.yaml:2:1: error: only an owner of left-pad \(alice\) may publish.*\[not-owner\]$/,
      ),
    ]);
    const base = ['validate', '--offline', '--repo', repo.dir, '--base', 'main', '--head', 'pr'];
    expect((await cli(...base, '--author', 'mallory', '--approved-by', 'Alice')).code).toBe(0);
    expect((await cli(...base, '--author', 'tina')).code).toBe(0);
    expect((await cli(...base, '--author', 'ALICE')).code).toBe(0);
  });

  it('treats new owners as a transfer by an owner that the new owner approves, and a new location as needing a trustee', async () => {
    const repo = await registry(published);
    await branch(repo);
    await repo.write(
      defPath('left-pad', '2.0.0'),
      definition('left-pad', '2.0.0', { owners: ['bob'], location: { github: 'bob/left-pad' } }),
    );
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/2\.0\.0\.yaml:5:1: error: moving left-pad to another source location .*\[trustee-required\]$/,
      ),
      expect.stringMatching(
        /^packages\/left-pad\/2\.0\.0\.yaml:8:1: error: bob is listed as an owner of left-pad but neither opened nor approved this pull request.*\[owner-consent\]$/,
      ),
    ]);
    expect(bad.out).toContain('operations: transfer left-pad@2.0.0');
    expect((await validatePr(repo, 'alice', '--offline', '--approved-by', 'tina')).code).toBe(0);
    await repo.write(defPath('left-pad', '2.0.0'), definition('left-pad', '2.0.0', { owners: ['bob'] }));
    // The new owner consents by approving; without it the transfer waits.
    const unasked = await judge(repo, 'alice');
    expect(unasked.lines).toEqual([expect.stringMatching(/bob is listed as an owner.*\[owner-consent\]$/)]);
    const ownersOnly = await validatePr(repo, 'alice', '--offline', '--approved-by', 'bob');
    expect(ownersOnly.code).toBe(0);
    expect(ownersOnly.out).toContain('transfer left-pad@2.0.0');
  });

  it('requires a scope owner for a new scoped package', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('@acme/tool', '1.0.0'), definition('@acme/tool', '1.0.0', { owners: ['bob'] }));
    const bad = await judge(repo, 'bob');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/@acme\/tool\/1\.0\.0\.yaml:1:1: error: only owners of the scope @acme \(alice\).*\[scope-owner\]$/,
      ),
    ]);
    expect((await validatePr(repo, 'bob', '--offline', '--approved-by', 'alice')).code).toBe(0);
  });

  it('lets only trustees change dependency bounds with an override; owners may yank', async () => {
    const repo = await registry(published);
    await branch(repo);
    await repo.write('overrides/left-pad/1.0.0.yaml', 'reason: bounds were too loose\ndependencies: {}\n');
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^overrides\/left-pad\/1\.0\.0\.yaml:2:1: error: only trustees may change the dependencies.*\[trustee-required\]$/,
      ),
    ]);
    expect((await validatePr(repo, 'tina', '--offline')).code).toBe(0);
    await repo.write('overrides/left-pad/1.0.0.yaml', 'reason: security hole\nyanked: true\n');
    const yank = await judge(repo, 'alice');
    expect(yank.code).toBe(0);
    expect(yank.out).toContain('operations: yank left-pad@1.0.0');
    const stranger = await validatePr(repo, 'mallory', '--offline');
    expect(stranger.lines).toEqual([
      expect.stringMatching(
        /^overrides\/left-pad\/1\.0\.0\.yaml:2:1: error: only an owner of left-pad or a trustee.*\[not-owner\]$/,
      ),
    ]);
  });

  it('lets owners unpublish within the window and trustees at any time', async () => {
    const repo = await registry(published);
    await branch(repo);
    await repo.git('rm', '-q', defPath('left-pad', '1.0.0'));
    await repo.commit('unpublish');
    const args = ['validate', '--offline', '--repo', repo.dir, '--base', 'main', '--head', 'pr'];
    // The fixture's commits are dated 2024; today is long past the 72-hour window.
    const late = await cli(...args, '--author', 'alice');
    expect(late.lines).toEqual([
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:1:1: error: left-pad@1\.0\.0 was published \d+ hours ago; owners may unpublish only within 72 hours.*\[unpublish-window\]$/,
      ),
    ]);
    expect((await cli(...args, '--author', 'tina')).code).toBe(0);
    expect((await cli(...args, '--author', 'mallory', '--trustee')).code).toBe(0);
    const publishedAt = new Date(
      await repo.git('log', '-1', '--format=%cI', 'main', '--', defPath('left-pad', '1.0.0')),
    );
    const within = await runValidate({
      repo: repo.dir,
      base: 'main',
      head: 'pr',
      author: 'alice',
      now: new Date(publishedAt.getTime() + 71 * 3_600_000),
    });
    expect(within.problems).toEqual([]);
    expect(within.operations).toEqual([
      { kind: 'unpublish', file: 'packages/left-pad/1.0.0.yaml', name: 'left-pad', version: '1.0.0' },
    ]);
    const after = await runValidate({
      repo: repo.dir,
      base: 'main',
      head: 'pr',
      author: 'alice',
      now: new Date(publishedAt.getTime() + 73 * 3_600_000),
    });
    expect(after.problems.map((p) => p.rule)).toEqual(['unpublish-window']);
  });

  it('refuses files outside packages/ and overrides/ unless the author is a maintainer', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write('README.md', 'hello\n');
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      'README.md:1:1: error: only maintainers and trustees may change files outside packages/ and overrides/ (alice is neither) [outside-folders]',
    ]);
    expect((await validatePr(repo, 'maya', '--offline')).code).toBe(0);
  });

  it('refuses more packages than limits.maxPackagesPerPr', async () => {
    const repo = await registry();
    await branch(repo);
    for (const name of ['aa-one', 'bb-two', 'cc-three', 'dd-four'])
      await repo.write(defPath(name, '1.0.0'), definition(name, '1.0.0'));
    const bad = await judge(repo, 'alice');
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/dd-four\/1\.0\.0\.yaml:1:1: error: this pull request changes 4 packages; at most 3 .*\[too-many-packages\]$/,
      ),
    ]);
    await repo.git('rm', '-q', defPath('dd-four', '1.0.0'));
    expect((await judge(repo, 'alice')).code).toBe(0);
  });

  it('reads trustees from the base: a PR cannot make its author a trustee', async () => {
    const repo = await registry({ [defPath('left-pad', '1.0.0')]: definition('left-pad', '1.0.0') });
    await branch(repo);
    await repo.write('registry.yaml', 'name: test\ntrustees: [mallory]\nmaintainers: [mallory]\n');
    await repo.write(defPath('left-pad', '1.1.0'), definition('left-pad', '1.1.0'));
    const run = await judge(repo, 'mallory');
    expect(run.code).toBe(1);
    expect(run.lines.map((l) => l.replace(/: error: .*\[/, ' ['))).toEqual([
      'packages/left-pad/1.1.0.yaml:2:1 [not-owner]',
      'registry.yaml:1:1 [outside-folders]',
    ]);
  });
});
