import { describe, expect, it } from 'vitest';
import { parseSpec, resolve } from '../../client/resolve/resolve.js';
import { ResolutionError, UsageError } from '../../core/errors.js';
import { memoryRegistry, type Spec } from './memory-registry.js';

async function picks(spec: Spec, requests: string[], options: Parameters<typeof resolve>[2] = {}): Promise<string[]> {
  const result = await resolve(memoryRegistry(spec), requests.map(parseSpec), options);
  return [...result.packages.values()].map((l) => `${l.name}@${l.version}`);
}

async function failure(spec: Spec, requests: string[], options: Parameters<typeof resolve>[2] = {}): Promise<string> {
  const error = await resolve(memoryRegistry(spec), requests.map(parseSpec), options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResolutionError);
  return (error as ResolutionError).message;
}

describe('parseSpec', () => {
  it('reads name, name@range and scoped names', () => {
    expect(parseSpec('prelude')).toEqual({ name: 'prelude', range: '*' });
    expect(parseSpec('prelude@^6.0.0')).toEqual({ name: 'prelude', range: '^6.0.0' });
    expect(parseSpec('@web/dom@>=1.0.0 <2.0.0')).toEqual({ name: '@web/dom', range: '>=1.0.0 <2.0.0' });
    expect(() => parseSpec('Prelude')).toThrow(UsageError);
    expect(() => parseSpec('prelude@not a range')).toThrow(/invalid range/);
  });
});

describe('resolve', () => {
  it('follows a chain of dependencies', async () => {
    const spec: Spec = {
      a: { '1.0.0': { deps: { b: '^1.0.0' } } },
      b: { '1.0.0': { deps: { c: '^2.0.0' } } },
      c: { '2.0.0': {}, '3.0.0': {} },
    };
    expect(await picks(spec, ['a'])).toEqual(['a@1.0.0', 'b@1.0.0', 'c@2.0.0']);
  });

  it('chooses the highest versions that satisfy every range', async () => {
    const spec: Spec = {
      a: { '1.0.0': { deps: { c: '>=1.0.0' } }, '1.5.0': { deps: { c: '>=1.0.0 <1.3.0' } } },
      b: { '2.0.0': { deps: { c: '^1.1.0' } } },
      c: { '1.0.0': {}, '1.1.0': {}, '1.2.0': {}, '1.4.0': {}, '2.0.0': {} },
    };
    expect(await picks(spec, ['a', 'b'])).toEqual(['a@1.5.0', 'b@2.0.0', 'c@1.2.0']);
    expect(await picks(spec, ['a@1.0.0', 'b'])).toEqual(['a@1.0.0', 'b@2.0.0', 'c@1.4.0']);
  });

  it('backtracks to an older version when the newest conflicts', async () => {
    const spec: Spec = {
      a: { '1.0.0': { deps: { b: '^1.0.0' } }, '2.0.0': { deps: { b: '^2.0.0' } } },
      b: { '1.0.0': {}, '2.0.0': {} },
      c: { '1.0.0': { deps: { b: '^1.0.0' } } },
    };
    expect(await picks(spec, ['a', 'c'])).toEqual(['a@1.0.0', 'b@1.0.0', 'c@1.0.0']);
  });

  it('explains a conflict between two requested packages by naming both and the shared dependency', async () => {
    const spec: Spec = {
      a: { '2.0.0': { deps: { b: '>=3.0.0 <4.0.0' } } },
      b: { '2.0.0': {}, '3.0.0': {} },
      c: { '1.0.0': { deps: { b: '<3.0.0' } } },
    };
    const message = await failure(spec, ['a', 'c']);
    expect(message).toContain('a@2.0.0 depends on b >=3.0.0 <4.0.0');
    expect(message).toContain('c@1.0.0 depends on b <3.0.0');
    expect(message).toMatch(/(a@2\.0\.0 and c@1\.0\.0|c@1\.0\.0 and a@2\.0\.0) cannot be used together/);
    expect(message).toMatch(/So, because you requested both a and c, your request cannot be satisfied\.$/);
  });

  it('explains a deeper conflict step by step, one version range at a time', async () => {
    const spec: Spec = {
      app: { '1.0.0': { deps: { x: '^1.0.0', y: '^1.0.0' } } },
      x: { '1.0.0': { deps: { z: '^1.0.0' } }, '1.1.0': { deps: { z: '^2.0.0' } } },
      y: { '1.0.0': { deps: { z: '^3.0.0' } } },
      z: { '1.0.0': {}, '2.0.0': {}, '3.0.0': {} },
    };
    const message = await failure(spec, ['app']);
    expect(message).toContain('x@1.0.0 depends on z ^1.0.0');
    expect(message).toContain('x@1.1.0 depends on z ^2.0.0');
    expect(message).toContain('y@1.0.0 depends on z ^3.0.0');
    expect(message).toContain('app@1.0.0 depends on');
    expect(message).not.toMatch(/undefined|\[object/);
  });

  it('explains a missing package and a range nothing matches', async () => {
    const spec: Spec = { a: { '1.0.0': { deps: { ghost: '^1.0.0' } } }, b: { '1.0.0': {} } };
    const missing = await failure(spec, ['a']);
    expect(missing).toContain('a@1.0.0 depends on ghost ^1.0.0');
    expect(missing).toContain('ghost is not in the registry');
    const unmatched = await failure(spec, ['b@^2.0.0']);
    expect(unmatched).toContain('you requested b ^2.0.0 and no version of b matches ^2.0.0');
  });

  it('skips yanked and unpublished versions, and says so when they were the only fit', async () => {
    const spec: Spec = {
      a: {
        '1.0.0': {},
        '1.1.0': { yanked: true },
        '1.2.0': { unpublished: { at: '2024-01-02T00:00:00Z', reason: 'oops' } },
      },
    };
    expect(await picks(spec, ['a'])).toEqual(['a@1.0.0']);
    const message = await failure(spec, ['a@>=1.1.0']);
    expect(message).toContain(
      'no version of a matches >=1.1.0 (a@1.1.0 is yanked; a@1.2.0 is unpublished; published: 1.0.0)',
    );
  });

  it('uses a yanked version that is already locked, and prefers locked versions that still fit', async () => {
    const spec: Spec = {
      a: { '1.0.0': { deps: { b: '^1.0.0' } } },
      b: { '1.0.0': {}, '1.1.0': { yanked: true }, '1.2.0': {} },
    };
    expect(await picks(spec, ['a'], { locked: new Map([['b', '1.1.0']]) })).toEqual(['a@1.0.0', 'b@1.1.0']);
    expect(await picks(spec, ['a'], { locked: new Map([['b', '1.0.0']]) })).toEqual(['a@1.0.0', 'b@1.0.0']);
    expect(await picks(spec, ['a'])).toEqual(['a@1.0.0', 'b@1.2.0']);
  });

  it("uses the latest revision's dependencies (trustee overrides win over the published bounds)", async () => {
    const spec: Spec = {
      a: {
        '1.0.0': {
          deps: { b: '>=1.0.0 <3.0.0' },
          revision: 2,
          history: [
            { revision: 1, dependencies: { b: '^1.0.0' }, at: '2024-01-01T00:00:00Z', reason: 'b 2 is compatible' },
          ],
        },
      },
      b: { '1.0.0': {}, '2.0.0': {} },
    };
    expect(await picks(spec, ['a'])).toEqual(['a@1.0.0', 'b@2.0.0']);
  });

  it('uses prereleases only when asked for, or when a range names one', async () => {
    const spec: Spec = { a: { '1.0.0': {}, '2.0.0-beta.1': {} }, b: { '3.0.0-rc.1': {} } };
    expect(await picks(spec, ['a'])).toEqual(['a@1.0.0']);
    expect(await picks(spec, ['a'], { includePrerelease: true })).toEqual(['a@2.0.0-beta.1']);
    expect(await picks(spec, ['a@>=2.0.0-beta.0'])).toEqual(['a@2.0.0-beta.1']);
    const message = await failure(spec, ['b']);
    expect(message).toContain('b@3.0.0-rc.1 is a prerelease, used only with --prerelease');
  });

  it('is deterministic: the same index gives the same answer and the same explanation', async () => {
    const spec: Spec = {
      a: { '1.0.0': { deps: { c: '^1.0.0', d: '*' } }, '2.0.0': { deps: { c: '^2.0.0', d: '*' } } },
      b: { '1.0.0': { deps: { c: '^1.0.0' } }, '1.1.0': { deps: { d: '^2.0.0' } } },
      c: { '1.0.0': {}, '2.0.0': {} },
      d: { '1.0.0': {}, '2.0.0': {} },
    };
    const runs = await Promise.all(Array.from({ length: 5 }, () => picks(spec, ['b', 'a'])));
    for (const r of runs) expect(r).toEqual(runs[0]);
    const conflict: Spec = { ...spec, e: { '1.0.0': { deps: { c: '^3.0.0' } } } };
    const messages = await Promise.all(Array.from({ length: 3 }, () => failure(conflict, ['a', 'e'])));
    expect(new Set(messages).size).toBe(1);
  });

  it('handles a package depending on itself and cycles', async () => {
    const spec: Spec = { a: { '1.0.0': { deps: { b: '^1.0.0' } } }, b: { '1.0.0': { deps: { a: '^1.0.0' } } } };
    expect(await picks(spec, ['a'])).toEqual(['a@1.0.0', 'b@1.0.0']);
    const self: Spec = { s: { '1.0.0': { deps: { s: '^2.0.0' } }, '2.0.0': { deps: { s: '^2.0.0' } } } };
    expect(await picks(self, ['s'])).toEqual(['s@2.0.0']);
    expect(await failure(self, ['s@1.0.0'])).toContain('s@1.0.0 depends on s ^2.0.0');
  });
});
