// The registry repository's layout, with plain paths.
import { describe, expect, it } from 'vitest';
import {
  classifyPath,
  definitionPath,
  displayPath,
  overridePath,
  PLACEHOLDER_PATHS,
  REGISTRY_PATHS,
} from '../../curator/registry/layout.js';

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
    expect(classifyPath('packages/a/1.0.0.yml')).toMatchObject({ kind: 'misplaced', rule: 'file-layout' });
    expect(classifyPath('packages/a/b/1.0.0.yaml')).toMatchObject({ kind: 'misplaced', rule: 'file-layout' });
  });
  it('builds the paths it classifies', () => {
    for (const name of ['a', '@s/a']) {
      expect(classifyPath(definitionPath(name, '1.0.0'))).toEqual({ kind: 'definition', name, version: '1.0.0' });
      expect(classifyPath(overridePath(name, '1.0.0'))).toEqual({ kind: 'override', name, version: '1.0.0' });
    }
    for (const path of PLACEHOLDER_PATHS) expect(classifyPath(path)).toEqual({ kind: 'placeholder' });
    expect(REGISTRY_PATHS).toEqual(['packages', 'overrides', 'registry.yaml']);
  });
  it('prints paths on one line', () => {
    expect(displayPath('a\nb\u202ec\\')).toBe('a\\u000ab\\u202ec\\\\');
  });
});
