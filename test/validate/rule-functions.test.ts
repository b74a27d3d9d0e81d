// The pure rule functions, with plain data.
import { describe, expect, it } from 'vitest';
import { sourceError } from '../../curator/source/source-url.js';
import { summarizeReport } from '../../curator/validate/operations.js';

describe('sourceError', () => {
  const config = (schemes: Array<'https' | 'file'>, hosts = ['github.com']) => ({ sources: { hosts, schemes } });
  it('allows only the listed hosts over https, and file:// when asked', () => {
    expect(sourceError({ github: 'a/b' }, config(['https']))).toBeUndefined();
    expect(sourceError({ git: 'https://GitHub.com/a/b.git' }, config(['https']))).toBeUndefined();
    expect(sourceError({ git: 'https://evil.example/a/b.git' }, config(['https']))?.message).toMatch(
      /host evil\.example/,
    );
    expect(sourceError({ git: 'http://github.com/a/b.git' }, config(['https']))?.message).toMatch(/scheme http/);
    expect(sourceError({ git: 'https://user:pw@github.com/a/b.git' }, config(['https']))?.message).toMatch(/password/);
    expect(sourceError({ git: 'file:///srv/a' }, config(['https']))?.message).toMatch(/file:\/\//);
    expect(sourceError({ git: 'file:///srv/a' }, config(['https', 'file']))).toBeUndefined();
    expect(sourceError({ github: 'a/b' }, config(['https'], ['gitlab.com']))?.key).toBe('github');
  });
});

describe('summarizeReport', () => {
  it('counts errors, files and names operations', () => {
    const problem = { file: 'a', line: 1, col: 1, severity: 'error' as const, rule: 'x', message: 'm' };
    expect(
      summarizeReport({
        problems: [problem, { ...problem, line: 2 }],
        operations: [{ kind: 'new-package', file: 'a', name: 'foo', version: '1.0.0' }],
        checkedFiles: 5,
      }),
    ).toBe('2 errors in 1 file (checked 5 files; operations: new package foo@1.0.0)');
  });
});
