// `granary outdated` (the lockfile against the index: wanted, latest, deprecated and yanked marks,
// --exit-code) and `granary list` (the tree from the lockfile, no network).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare } from '../../client/outdated.js';
import { line } from '../resolve/memory-registry.js';
import type { FixturePackage } from '../install/fixture-registry.js';
import { projectWorld } from './project-world.js';

const v = (name: string, version: string, more: Partial<FixturePackage> = {}): FixturePackage => ({
  name,
  version,
  ...more,
});

describe('outdated, one package', () => {
  const lines = [
    line('p', '1.0.0'),
    line('p', '1.1.0', { yanked: true }),
    line('p', '1.2.0'),
    line('p', '2.0.0'),
    line('p', '3.0.0-rc.1'),
    line('p', '3.0.0', { unpublished: { at: '2024-02-01T00:00:00Z', reason: 'oops' } }),
  ];
  it('wanted is the newest usable version the range admits; latest the newest usable release', () => {
    expect(compare('p', 'direct', ['^1.0.0'], '1.0.0', lines)).toEqual({
      name: 'p',
      kind: 'direct',
      ranges: ['^1.0.0'],
      current: '1.0.0',
      wanted: '1.2.0',
      latest: '2.0.0',
      outdated: true,
    });
    // A range that names a prerelease admits that version's prereleases (3.0.0 itself is unpublished).
    expect(compare('p', 'direct', ['>=3.0.0-rc.0'], '2.0.0', lines)).toMatchObject({
      wanted: '3.0.0-rc.1',
      outdated: true,
    });
    expect(compare('p', 'direct', ['^2.0.0'], '2.0.0', lines)).toMatchObject({ wanted: '2.0.0', outdated: false });
  });

  it('marks a locked version that was yanked or unpublished since, and asks to move off it', () => {
    expect(compare('p', 'direct', ['~1.1.0'], '1.1.0', lines)).toMatchObject({
      wanted: null,
      yanked: true,
      outdated: true,
    });
    expect(compare('p', 'transitive', ['^3.0.0', '>=2.0.0'], '3.0.0', lines)).toMatchObject({
      wanted: null,
      unpublished: true,
      outdated: false,
    });
    expect(compare('p', 'direct', ['^1.0.0'], null, lines)).toMatchObject({ current: null, outdated: true });
  });
});

describe('granary outdated', () => {
  it('a table of what is behind or marked, --json of everything checked, --exit-code 1 when anything is behind', async () => {
    const before = [
      v('app', '1.0.0', { dependencies: { lib: '^1.0.0' } }),
      v('lib', '1.0.0'),
      v('pad', '1.0.0'),
      v('fine', '1.0.0'),
    ];
    const w = await projectWorld(before);
    expect((await w.run(['install', 'app', 'pad', 'fine', '--registry', w.spec])).code).toBe(0);
    await w.registry.publish([
      v('app', '1.0.0', { dependencies: { lib: '^1.0.0' } }),
      v('lib', '1.0.0', { yanked: true }),
      v('lib', '1.1.0'),
      v('pad', '1.0.0', { deprecated: 'use pad 2' }),
      v('pad', '2.0.0'),
      v('fine', '1.0.0'),
    ]);
    const r = await w.run(['outdated']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(
      [
        'package  range   current  wanted  latest',
        'pad      ^1.0.0  1.0.0    1.0.0   2.0.0   deprecated: use pad 2',
        '',
      ].join('\n'),
    );
    const all = await w.run(['outdated', '--all']);
    expect(all.out).toBe(
      [
        'package  range   current  wanted  latest',
        'lib      ^1.0.0  1.0.0    1.1.0   1.1.0   needed by other packages; yanked',
        'pad      ^1.0.0  1.0.0    1.0.0   2.0.0   deprecated: use pad 2',
        '',
      ].join('\n'),
    );
    const json = await w.run(['outdated', '--json', '--exit-code']);
    expect(json.code).toBe(1);
    expect(json.json).toMatchObject({ ok: false, outdated: true, snapshotVersion: 2 });
    expect(json.json.packages.map((p: { name: string }) => p.name)).toEqual(['app', 'fine', 'pad']);
    expect((await w.run(['outdated', '--exit-code'])).code).toBe(1);

    expect((await w.run(['install', 'pad@latest'])).code).toBe(0);
    expect((await w.run(['outdated', '--exit-code'])).code).toBe(0);
    expect((await w.run(['outdated', '--all', '--exit-code'])).code).toBe(1);
  });
});

describe('granary list', () => {
  it('draws the tree from the lockfile: --depth, packages shown once, marks from the install, what is not installed', async () => {
    const w = await projectWorld([
      v('web', '1.0.0', { dependencies: { http: '^1.0.0', log: '^1.0.0' } }),
      v('cli', '1.0.0', { dependencies: { log: '^1.0.0' } }),
      v('http', '1.0.0', { dependencies: { log: '>=1.0.0' } }),
      v('log', '1.0.0', { deprecated: 'use log 2' }),
    ]);
    expect((await w.run(['list'])).code).toBe(2);
    expect((await w.run(['install', 'web', 'cli', '--registry', w.spec])).code).toBe(0);
    const tree = await w.run(['list']);
    expect(tree.out).toBe(
      [
        'cli@1.0.0',
        '└── log@1.0.0 [deprecated: use log 2]',
        'web@1.0.0',
        '├── http@1.0.0',
        '│   └── log@1.0.0 [deprecated: use log 2]',
        '└── log@1.0.0 [deprecated: use log 2]',
        '',
      ].join('\n'),
    );
    expect((await w.run(['list', '--depth', '0'])).out).toBe('cli@1.0.0\nweb@1.0.0\n');
    const one = await w.run(['list', '--depth', '1', '--json']);
    expect(one.json.dependencies.web).toEqual({
      range: '^1.0.0',
      version: '1.0.0',
      installed: true,
      dependencies: {
        http: { range: '^1.0.0', version: '1.0.0', installed: true },
        log: { range: '^1.0.0', version: '1.0.0', installed: true, deprecated: 'use log 2' },
      },
    });
    expect((await w.run(['list', '--depth', '-1'])).code).toBe(2);

    await rm(join(w.project, 'granary_packages'), { recursive: true });
    expect((await w.run(['list', '--depth', '0'])).out).toBe('cli@1.0.0 [not installed]\nweb@1.0.0 [not installed]\n');
  });

  it('does not expand a package twice (a cycle included)', async () => {
    const w = await projectWorld([
      v('a', '1.0.0', { dependencies: { b: '^1.0.0' } }),
      v('b', '1.0.0', { dependencies: { a: '^1.0.0', c: '^1.0.0' } }),
      v('c', '1.0.0'),
    ]);
    expect((await w.run(['install', 'a', 'b', '--registry', w.spec])).code).toBe(0);
    expect((await w.run(['list'])).out).toBe(
      ['a@1.0.0', '└── b@1.0.0', '    ├── a@1.0.0 (shown above)', '    └── c@1.0.0', 'b@1.0.0 (shown above)', ''].join(
        '\n',
      ),
    );
  });
});
