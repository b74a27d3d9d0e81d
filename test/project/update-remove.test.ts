// `granary update` (within granary.yaml's ranges, or with --latest across them) and `granary remove`.
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../client/lockfile.js';
import type { FixturePackage } from '../install/fixture-registry.js';
import { projectWorld, type ProjectWorld } from './project-world.js';

async function locked(w: ProjectWorld): Promise<Record<string, string>> {
  const lock = parseLockfile((await w.read('granary.lock'))!, 'granary.lock');
  return Object.fromEntries(Object.entries(lock.packages).map(([n, p]) => [n, p.version]));
}

const v = (name: string, version: string, more: Partial<FixturePackage> = {}): FixturePackage => ({
  name,
  version,
  ...more,
});

describe('granary update', () => {
  it('updates only the packages named, within their ranges; with none, every package', async () => {
    const before = [v('app', '1.0.0', { dependencies: { lib: '^1.0.0' } }), v('lib', '1.0.0'), v('tool', '1.0.0')];
    const w = await projectWorld(before);
    expect((await w.run(['install', 'app', 'tool@~1.0.0', '--registry', w.spec])).code).toBe(0);
    await w.registry.publish([...before, v('lib', '1.3.0'), v('lib', '2.0.0'), v('tool', '1.0.5'), v('tool', '1.1.0')]);

    const one = await w.run(['update', 'lib']);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toMatch(/^updated:\n {2}lib 1\.0\.0 → 1\.3\.0\nlockfile granary\.lock written \(snapshot 2\)\n$/);
    expect(await locked(w)).toEqual({ app: '1.0.0', lib: '1.3.0', tool: '1.0.0' });

    const all = await w.run(['update', '--json']);
    expect(all.code, all.out).toBe(0);
    expect(all.json.changes).toEqual([{ name: 'tool', from: '1.0.0', to: '1.0.5' }]);
    expect(all.json.manifestStatus).toBe('unchanged');
    expect(await locked(w)).toEqual({ app: '1.0.0', lib: '1.3.0', tool: '1.0.5' });

    const none = await w.run(['update']);
    expect(none.out).toMatch(/^everything is up to date\n/);
  });

  it('--latest moves ranges to a caret of the newest version: not yanked, not a prerelease, across majors', async () => {
    const before = [v('a', '1.0.0'), v('b', '1.0.0'), v('c', '1.0.0')];
    const w = await projectWorld(before);
    expect((await w.run(['install', 'a', 'b', 'c@1.0.0', '--registry', w.spec])).code).toBe(0);
    await w.registry.publish([
      ...before,
      v('a', '2.0.0'),
      v('a', '3.0.0-rc.1'),
      v('b', '2.0.0'),
      v('b', '3.0.0', { yanked: true }),
      v('c', '1.1.0'),
    ]);
    const onlyA = await w.run(['update', 'a', '--latest']);
    expect(onlyA.code, onlyA.err).toBe(0);
    expect(onlyA.out).toContain('granary.yaml written:\n  a ^1.0.0 → ^2.0.0\n');
    expect(await w.read('granary.yaml')).toBe('dependencies:\n  a: ^2.0.0\n  b: ^1.0.0\n  c: 1.0.0\n');
    expect(await locked(w)).toEqual({ a: '2.0.0', b: '1.0.0', c: '1.0.0' });

    const every = await w.run(['update', '--latest']);
    expect(every.code, every.err).toBe(0);
    expect(await w.read('granary.yaml')).toBe('dependencies:\n  a: ^2.0.0\n  b: ^2.0.0\n  c: ^1.1.0\n');
    expect(await locked(w)).toEqual({ a: '2.0.0', b: '2.0.0', c: '1.1.0' });
  });

  it('refuses a name the project does not have, with what it has and a close name (exit 1); nothing to update is exit 2', async () => {
    const w = await projectWorld([v('strpad', '1.0.0')]);
    expect((await w.run(['update'])).code).toBe(2);
    expect((await w.run(['install', 'strpad', '--registry', w.spec])).code).toBe(0);
    const r = await w.run(['update', 'strpd']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'error: "strpd" is not a package of this project\n  at: granary.yaml\n  fix: did you mean strpad?; the dependencies in granary.yaml are: strpad\n',
    );
  });
});

describe('granary remove', () => {
  it('refuses a name that is not a dependency (exit 1): lists them, suggests a close one, says who needs a transitive one', async () => {
    const w = await projectWorld([v('app', '1.0.0', { dependencies: { lib: '^1.0.0' } }), v('lib', '1.0.0')]);
    expect((await w.run(['install', 'app', '--registry', w.spec])).code).toBe(0);
    const typo = await w.run(['remove', 'ap', '--json']);
    expect(typo.code).toBe(1);
    expect(typo.json).toMatchObject({
      error: 'invalid-input',
      message: '"ap" is not a dependency in granary.yaml',
      hint: 'did you mean app?; the dependencies in granary.yaml are: app',
    });
    // Names that objects inherit are names like any other.
    expect((await w.run(['remove', 'constructor'])).err).toContain('"constructor" is not a dependency in granary.yaml');
    const transitive = await w.run(['remove', 'lib', 'Not_A_Name']);
    expect(transitive.code).toBe(1);
    expect(transitive.err).toContain('error: "lib", "Not_A_Name" are not dependencies in granary.yaml\n');
    expect(transitive.err).toContain('fix: lib is installed because app needs it;');
    expect(await locked(w)).toEqual({ app: '1.0.0', lib: '1.0.0' });
  });

  it('keeps a removed dependency that another still needs, and says so', async () => {
    const w = await projectWorld([v('app', '1.0.0', { dependencies: { lib: '^1.0.0' } }), v('lib', '1.0.0')]);
    expect((await w.run(['install', 'app', 'lib', '--registry', w.spec])).code).toBe(0);
    const r = await w.run(['remove', 'lib']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('warning: lib is still installed: app needs it\n');
    expect(r.out).toContain('no package was uninstalled\ngranary.yaml written:\n  - lib ^1.0.0\n');
    expect(await w.read('granary.yaml')).toBe('dependencies:\n  app: ^1.0.0\n');
    expect(await locked(w)).toEqual({ app: '1.0.0', lib: '1.0.0' });
  });
});
