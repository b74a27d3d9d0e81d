import { describe, expect, it } from 'vitest';
import { registryConfigFrom } from '../../core/registry-config.js';
import { refProblem, checkSubdir } from '../../curator/source/check-inputs.js';
import { SourceFailure } from '../../curator/source/errors.js';
import { sourceUrl } from '../../curator/source/source-url.js';

const httpsOnly = registryConfigFrom({
  name: 't',
  sources: { schemes: ['https'], hosts: ['github.com', 'git.example.org'] },
});
const withFile = registryConfigFrom({ name: 't', sources: { schemes: ['https', 'file'], hosts: ['github.com'] } });

function refusal(fn: () => unknown): SourceFailure {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFailure);
    return error as SourceFailure;
  }
  throw new Error('expected a refusal');
}

describe('sourceUrl', () => {
  it('maps github: owner/repo to its https clone URL', () => {
    expect(sourceUrl({ github: 'purescript/purescript-prelude' }, httpsOnly, '/r', 'x@1.0.0').url).toBe(
      'https://github.com/purescript/purescript-prelude.git',
    );
    expect(sourceUrl({ github: 'o/r.git' }, httpsOnly, '/r', 'x@1.0.0').url).toBe('https://github.com/o/r.git');
  });

  it('accepts https URLs on allowed hosts only', () => {
    expect(sourceUrl({ git: 'https://git.example.org/team/lib.git' }, httpsOnly, '/r', 'x').url).toBe(
      'https://git.example.org/team/lib.git',
    );
    const e = refusal(() => sourceUrl({ git: 'https://evil.example.net/team/lib.git' }, httpsOnly, '/r', 'x@1.0.0'));
    expect(e.rule).toBe('source-not-allowed');
    expect(e.message).toContain('evil.example.net');
    expect(e.hint).toContain('github.com');
    expect(e.where).toBe('x@1.0.0');
  });

  it('refuses github sources when the registry does not allow github.com', () => {
    const noGithub = registryConfigFrom({ name: 't', sources: { schemes: ['https'], hosts: ['git.example.org'] } });
    expect(refusal(() => sourceUrl({ github: 'o/r' }, noGithub, '/r', 'x')).rule).toBe('source-not-allowed');
  });

  it('refuses transports and URL tricks before anything runs', () => {
    const hostile = [
      'ext::sh -c touch% /tmp/pwned',
      'fd::17',
      '--upload-pack=touch /tmp/pwned',
      '-u touch',
      'ssh://git@github.com/o/r.git',
      'git://github.com/o/r.git',
      'http://github.com/o/r.git',
      'https://user:secret@github.com/o/r.git',
      'https://github.com@evil.example/o/r.git',
      'https://github.com/o/../../r.git',
      'https://github.com/o/r.git?x=1',
      'https://github.com/o/r.git#frag',
      'https://github.com/o/r%2e.git',
      'https://github.com/o/r.git\n--upload-pack=x',
      'https://github.com/o/r .git',
      'file:///etc/../root',
    ];
    for (const url of hostile) {
      const e = refusal(() => sourceUrl({ git: url }, withFile, '/r', 'x'));
      expect(['source-not-allowed', 'source-invalid']).toContain(e.rule);
    }
  });

  it('allows file:// only when registry.yaml lists the scheme, and resolves ./ paths against the registry', () => {
    expect(refusal(() => sourceUrl({ git: 'file:///srv/src' }, httpsOnly, '/r', 'x')).rule).toBe('source-not-allowed');
    expect(sourceUrl({ git: 'file:///srv/src' }, withFile, '/r', 'x').url).toBe('file:///srv/src');
    const relative = sourceUrl({ git: 'file://./upstream/lib' }, withFile, '/work/registry', 'x');
    expect(relative).toEqual({
      url: 'file:///work/registry/upstream/lib',
      scheme: 'file',
      display: 'file://./upstream/lib',
    });
  });
});

describe('refs and subdirs', () => {
  it('accepts ordinary tag names', () => {
    for (const ref of ['v1.0.0', '1.0.0', 'release/2024-01', 'v1.0.0-rc.1+build'])
      expect(refProblem(ref)).toBeUndefined();
  });

  it('refuses anything shaped like an option, a range, a path escape or a control sequence', () => {
    for (const ref of [
      '-c',
      '--upload-pack=x',
      '-v1',
      'v1..v2',
      '../x',
      'a//b',
      'a/',
      'x.lock',
      'a/.hidden',
      'v1\n',
      'v1 x',
      'v1:x',
      'HEAD^{tree}',
      'a@{1}',
      'refs/heads/main',
      '',
      'ext::x',
      'v1\u0000',
    ]) {
      expect(refProblem(ref), ref).toBeDefined();
    }
    expect(refProblem(42)).toBeDefined();
  });

  it('refuses subdirs that escape the repository', () => {
    expect(checkSubdir('packages/core', 'x')).toBe('packages/core');
    for (const s of ['../x', 'a/../../b', '/etc', './a', 'a//b', '-x/..', 'a b'])
      expect(() => checkSubdir(s, 'x'), s).toThrow(SourceFailure);
  });
});
