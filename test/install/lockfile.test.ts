import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { digestOf } from '../../core/hash.js';
import { relocateSpec } from '../../client/install.js';
import { parseLockfile, serializeLockfile, type Lockfile } from '../../client/lockfile.js';

const d = digestOf(Buffer.from('tarball'));
const lock: Lockfile = {
  lockfileVersion: 1,
  registry: 'https://registry.example/index',
  publicKey: `ed25519:${'A'.repeat(43)}=`,
  snapshotVersion: 12,
  requests: { zeta: '*', alpha: '^1.0.0' },
  packages: {
    zeta: {
      version: '2.0.0',
      asset: 'zeta/zeta-2.0.0.tar.gz',
      url: 'https://a.example/zeta/zeta-2.0.0.tar.gz',
      size: d.size,
      sha256: d.sha256,
      integrity: d.integrity,
      dependencies: { b: '*', a: '^1' },
    },
    alpha: {
      version: '1.0.0',
      asset: 'alpha/alpha-1.0.0.tar.gz',
      url: 'https://a.example/alpha/alpha-1.0.0.tar.gz',
      size: d.size,
      sha256: d.sha256,
      integrity: d.integrity,
      dependencies: {},
    },
  },
};

describe('lockfile', () => {
  it('serializes in a stable order with a trailing newline and parses back', () => {
    const text = serializeLockfile(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'lockfileVersion',
      'registry',
      'publicKey',
      'snapshotVersion',
      'requests',
      'packages',
    ]);
    expect(Object.keys(JSON.parse(text).packages)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(JSON.parse(text).packages.zeta)).toEqual([
      'version',
      'asset',
      'url',
      'size',
      'sha256',
      'integrity',
      'dependencies',
    ]);
    expect(Object.keys(JSON.parse(text).packages.zeta.dependencies)).toEqual(['a', 'b']);
    const parsed = parseLockfile(text, 'granary.lock');
    expect(parsed).toEqual(lock);
    expect(serializeLockfile(parsed)).toBe(text);
  });

  const mutate = (f: (l: any) => void): string => {
    const copy = JSON.parse(serializeLockfile(lock));
    f(copy);
    return JSON.stringify(copy);
  };
  const hostile: Array<[string, string, RegExp]> = [
    ['not JSON', '{"lockfileVersion":', /not JSON/],
    ['an array', '[]', /must be an object/],
    ['a newer version', mutate((l) => (l.lockfileVersion = 2)), /lockfileVersion is 2/],
    ['an unknown key', mutate((l) => (l.extra = 1)), /unknown key "extra"/],
    [
      'a bad package name',
      mutate((l) => (l.packages['../x'] = l.packages.alpha)),
      /packages\."\.\.\/x" is not a package name/,
    ],
    ['a bad version', mutate((l) => (l.packages.alpha.version = '1.0')), /packages\.alpha\.version/],
    ['a bad sha256', mutate((l) => (l.packages.alpha.sha256 = 'x')), /packages\.alpha\.sha256/],
    [
      'an integrity of another digest',
      mutate((l) => (l.packages.alpha.integrity = digestOf(Buffer.from('other')).integrity)),
      /packages\.alpha\.integrity/,
    ],
    ['an escaping asset', mutate((l) => (l.packages.alpha.asset = 'alpha/../../x.tar.gz')), /packages\.alpha\.asset/],
    ['a negative size', mutate((l) => (l.packages.alpha.size = -1)), /packages\.alpha\.size/],
    ['a bad range', mutate((l) => (l.requests.alpha = 'not a range')), /requests\.alpha/],
    ['a bad key', mutate((l) => (l.publicKey = 'rsa:abc')), /publicKey/],
    ['a string snapshot version', mutate((l) => (l.snapshotVersion = '12')), /snapshotVersion/],
  ];
  it.each(hostile)('refuses %s with an InputError naming where', (_what, text, where) => {
    let error: unknown;
    try {
      parseLockfile(text, 'granary.lock');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(`${(error as InputError).message} @ ${(error as InputError).where}`).toMatch(where);
  });

  it('records relative registry directories relative to the lockfile, and URLs as given', () => {
    expect(relocateSpec('https://r.example/index', '/home/me/app/sub', '/home/me/app')).toBe('https://r.example/index');
    expect(relocateSpec('../registry/index', '/home/me/app/sub', '/home/me/app')).toBe('registry/index');
    expect(relocateSpec('git:../clone', '/home/me/app/sub', '/home/me/app')).toBe('git:clone');
    expect(relocateSpec('/srv/index', '/x', '/y')).toBe('/srv/index');
  });
});
