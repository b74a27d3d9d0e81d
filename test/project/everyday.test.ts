// A project's everyday life, driven through the CLI against a real signed registry served over
// loopback HTTP: add dependencies, look at the tree, a new version is published, see it, update to
// it, drop a dependency, and reinstall from the lockfile in a fresh checkout. After each step the
// package directories, granary.yaml (with the comment written before the first install) and
// granary.lock are checked.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile, type Lockfile } from '../../client/lockfile.js';
import type { FixturePackage } from '../install/fixture-registry.js';
import { packageFiles, projectWorld, type ProjectWorld } from './project-world.js';

const a1: FixturePackage = {
  name: 'a',
  version: '1.0.0',
  dependencies: { c: '^1.0.0' },
  files: { 'a.js': 'a 1.0.0\n' },
};
const b1: FixturePackage = { name: 'b', version: '1.1.0', files: { 'b.js': 'b 1.1.0\n' } };
const c1: FixturePackage = { name: 'c', version: '1.0.0', files: { 'c.js': 'c 1.0.0\n' } };
const published: FixturePackage[] = [a1, { name: 'b', version: '1.0.0', files: { 'b.js': 'b 1.0.0\n' } }, b1, c1];
// Published later.
const b12: FixturePackage = { name: 'b', version: '1.2.0', files: { 'b.js': 'b 1.2.0\n' } };
const b2: FixturePackage = { name: 'b', version: '2.0.0', files: { 'b.js': 'b 2.0.0\n' } };
const c11: FixturePackage = { name: 'c', version: '1.1.0', files: { 'c.js': 'c 1.1.0\n' } };

const HEAD = '# my-app: this comment was here before granary\nname: my-app\nlicense: MIT\n';

async function lockOf(w: ProjectWorld): Promise<Lockfile> {
  return parseLockfile((await w.read('granary.lock'))!, 'granary.lock');
}

const versions = (lock: Lockfile): Record<string, string> =>
  Object.fromEntries(Object.entries(lock.packages).map(([name, p]) => [name, p.version]));

describe('a project, day to day', () => {
  it('install, install with a range, list, outdated, update, remove, and a frozen reinstall', async () => {
    const w = await projectWorld(published, { http: true });
    await writeFile(join(w.project, 'granary.yaml'), HEAD);

    // install a: the newest a, recorded as a caret of it; its dependency c comes along.
    const first = await w.run(['install', 'a', '--registry', w.spec, '--trust-key', w.registry.publicKey]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('granary.yaml written:\n  + a ^1.0.0\n');
    expect(await w.read('granary.yaml')).toBe(`${HEAD}dependencies:\n  a: ^1.0.0\n`);
    expect(await w.files('granary_packages')).toEqual({ ...packageFiles(a1), ...packageFiles(c1) });
    let lock = await lockOf(w);
    expect(lock.requests).toEqual({ a: '^1.0.0' });
    expect(versions(lock)).toEqual({ a: '1.0.0', c: '1.0.0' });
    expect(lock).toMatchObject({ registry: w.spec, publicKey: w.registry.publicKey, snapshotVersion: 1 });

    // install b@^1: the range as written, in normal form.
    const second = await w.run(['install', 'b@^1']);
    expect(second.code, second.err).toBe(0);
    expect(await w.read('granary.yaml')).toBe(`${HEAD}dependencies:\n  a: ^1.0.0\n  b: 1.x\n`);
    expect(await w.files('granary_packages')).toEqual({
      ...packageFiles(a1),
      ...packageFiles(b1),
      ...packageFiles(c1),
    });
    lock = await lockOf(w);
    expect(lock.requests).toEqual({ a: '^1.0.0', b: '1.x' });
    expect(versions(lock)).toEqual({ a: '1.0.0', b: '1.1.0', c: '1.0.0' });

    // list: the tree, from the lockfile alone.
    const lockText = await w.read('granary.lock');
    const filesBefore = await w.files('granary_packages');
    const list = await w.run(['list']);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toBe('a@1.0.0\n└── c@1.0.0\nb@1.1.0\n');
    const listJson = await w.run(['list', '--json']);
    expect(listJson.json.dependencies).toEqual({
      a: {
        range: '^1.0.0',
        version: '1.0.0',
        installed: true,
        dependencies: { c: { range: '^1.0.0', version: '1.0.0', installed: true } },
      },
      b: { range: '1.x', version: '1.1.0', installed: true },
    });

    // Nothing newer yet.
    const quiet = await w.run(['outdated', '--exit-code']);
    expect(quiet.code, quiet.err).toBe(0);
    expect(quiet.out).toBe('all 2 packages are up to date\n');

    // b 1.2.0, b 2.0.0 and c 1.1.0 are published.
    await w.registry.publish([...published, b12, b2, c11]);
    const outdated = await w.run(['outdated']);
    expect(outdated.code, outdated.err).toBe(0);
    expect(outdated.out).toBe(
      ['package  range  current  wanted  latest', 'b        1.x    1.1.0    1.2.0   2.0.0', ''].join('\n'),
    );
    expect((await w.run(['outdated', '--exit-code'])).code).toBe(1);
    const all = await w.run(['outdated', '--all', '--json']);
    expect(
      all.json.packages.map((p: { name: string; current: string; wanted: string; outdated: boolean }) => [
        p.name,
        p.current,
        p.wanted,
        p.outdated,
      ]),
    ).toEqual([
      ['a', '1.0.0', '1.0.0', false],
      ['b', '1.1.0', '1.2.0', true],
      ['c', '1.0.0', '1.1.0', true],
    ]);
    // Looking changes nothing.
    expect(await w.read('granary.lock')).toBe(lockText);
    expect(await w.files('granary_packages')).toEqual(filesBefore);
    expect(await w.read('granary.yaml')).toBe(`${HEAD}dependencies:\n  a: ^1.0.0\n  b: 1.x\n`);

    // update: the newest within the ranges (b 1.2.0, not 2.0.0), for every package.
    const updated = await w.run(['update']);
    expect(updated.code, updated.err).toBe(0);
    expect(updated.out).toContain('updated:\n  b 1.1.0 → 1.2.0\n  c 1.0.0 → 1.1.0\n');
    expect(await w.read('granary.yaml')).toBe(`${HEAD}dependencies:\n  a: ^1.0.0\n  b: 1.x\n`);
    expect(await w.files('granary_packages')).toEqual({
      ...packageFiles(a1),
      ...packageFiles(b12),
      ...packageFiles(c11),
    });
    lock = await lockOf(w);
    expect(lock.snapshotVersion).toBe(2);
    expect(versions(lock)).toEqual({ a: '1.0.0', b: '1.2.0', c: '1.1.0' });
    expect((await w.run(['outdated', '--exit-code'])).code).toBe(1); // b 2.0.0 is still the latest

    // remove a: a and c (needed only by a) leave the disk and the lockfile.
    const removed = await w.run(['remove', 'a']);
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toContain('- a 1.0.0\n- c 1.1.0\n');
    expect(await w.read('granary.yaml')).toBe(`${HEAD}dependencies:\n  b: 1.x\n`);
    expect(await w.files('granary_packages')).toEqual(packageFiles(b12));
    lock = await lockOf(w);
    expect(lock.requests).toEqual({ b: '1.x' });
    expect(versions(lock)).toEqual({ b: '1.2.0' });
    expect((await w.run(['list'])).out).toBe('b@1.2.0\n');

    // A fresh checkout: granary.yaml and granary.lock, no packages. --frozen installs exactly the lockfile.
    const lockBefore = await w.read('granary.lock');
    await rm(join(w.project, 'granary_packages'), { recursive: true });
    const frozen = await w.run(['install', '--frozen', '--json']);
    expect(frozen.code, frozen.out).toBe(0);
    expect(frozen.json).toMatchObject({ lockfileStatus: 'kept', manifestStatus: 'unchanged' });
    expect(await w.files('granary_packages')).toEqual(packageFiles(b12));
    expect(await w.read('granary.lock')).toBe(lockBefore);
    expect(await w.read('granary.yaml')).toBe(`${HEAD}dependencies:\n  b: 1.x\n`);
  });
});
