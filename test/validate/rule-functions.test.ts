// The pure rule functions, with plain data.
import { describe, expect, it } from 'vitest';
import { licenseError } from '../../curator/validate/license-rule.js';
import { classifyPath, displayPath } from '../../curator/validate/paths.js';
import { sourceError } from '../../curator/validate/source-rule.js';
import { summarize } from '../../curator/validate/operations.js';

describe('licenseError', () => {
  it('accepts SPDX expressions found in real registries', () => {
    for (const ok of [
      'MIT',
      'Apache-2.0',
      '(GPL-3.0-only OR MIT)',
      'LGPL-3.0+',
      'ISC AND (GPL-3.0-only OR MIT)',
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      'LicenseRef-Custom',
    ]) {
      expect(licenseError(ok), ok).toBeUndefined();
    }
  });
  it('refuses prose, lowercase operators, unbalanced parentheses', () => {
    expect(licenseError('MIT or Apache')).toMatch(/capitals: OR/);
    expect(licenseError('(MIT OR ISC')).toMatch(/not closed/);
    expect(licenseError('MIT OR')).toMatch(/ends where a license was expected/);
    expect(licenseError('GNU General Public License, v3')).toMatch(/not an SPDX license expression/);
    expect(licenseError('')).toMatch(/empty/);
  });
});

describe('classifyPath', () => {
  it('knows the layout', () => {
    expect(classifyPath('packages/a/1.0.0.yaml')).toEqual({ kind: 'definition', name: 'a', version: '1.0.0' });
    expect(classifyPath('overrides/@s/a/1.0.0-rc.1.yaml')).toEqual({
      kind: 'override',
      name: '@s/a',
      version: '1.0.0-rc.1',
    });
    expect(classifyPath('packages/.gitkeep')).toEqual({ kind: 'placeholder' });
    expect(classifyPath('registry.yaml')).toEqual({ kind: 'registry' });
    expect(classifyPath('.github/workflows/x.yml')).toEqual({ kind: 'outside' });
    expect(classifyPath('packages/a/1.0.0+build.yaml')).toMatchObject({ kind: 'misplaced', rule: 'version-syntax' });
    expect(classifyPath('packages/@/a/1.0.0.yaml')).toMatchObject({ kind: 'misplaced', rule: 'name-syntax' });
  });
  it('prints paths on one line', () => {
    expect(displayPath('a\nb\u202ec\\')).toBe('a\\u000ab\\u202ec\\\\');
  });
});

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

describe('summarize', () => {
  it('counts errors, files and names operations', () => {
    const problem = { file: 'a', line: 1, col: 1, severity: 'error' as const, rule: 'x', message: 'm' };
    expect(
      summarize({
        problems: [problem, { ...problem, line: 2 }],
        operations: [{ kind: 'new-package', file: 'a', name: 'foo', version: '1.0.0' }],
        checkedFiles: 5,
      }),
    ).toBe('2 errors in 1 file (checked 5 files; operations: new package foo@1.0.0)');
  });
});
