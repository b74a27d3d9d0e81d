import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { fileRules, selectFiles, type FileGlobs } from '../../curator/pack/select-files.js';
import { SourceFailure } from '../../curator/source/errors.js';
import type { SourceEntry } from '../../curator/source/read-tree.js';

const file = (path: string, mode = '100644'): SourceEntry => ({
  path,
  mode,
  kind: 'file',
  id: '0'.repeat(40),
  size: 1,
});
const tree = [
  'README.md',
  'src/a.ts',
  'src/a.test.ts',
  'src/.env',
  '.eslintrc',
  '.github/workflows/ci.yml',
  'docs/guide.md',
  'node_modules/x/i.js',
  'lib/.git/config',
  'lib/.HG/x',
  'sub/CVS/Root',
  '.DS_Store',
].map((p) => file(p));
const pick = (globs?: FileGlobs, defaults?: { include?: string[]; exclude?: string[] }) =>
  selectFiles(tree, fileRules(globs, defaults), 'demo@1.0.0').files.map((f) => f.path);

describe('selectFiles', () => {
  it('takes every non-dot file by default and never the fixed excludes', () => {
    expect(pick()).toEqual(['README.md', 'src/a.ts', 'src/a.test.ts', 'docs/guide.md']);
    expect(pick({ include: ['**'] })).toEqual(['README.md', 'src/a.ts', 'src/a.test.ts', 'docs/guide.md']);
  });

  it('matches dotfiles only when a pattern names them, and directories by name', () => {
    expect(pick({ include: ['src', '.eslintrc'] })).toEqual(['src/a.ts', 'src/a.test.ts', '.eslintrc']);
    expect(pick({ include: ['.github/', 'src/.env'] })).toEqual(['src/.env', '.github/workflows/ci.yml']);
    expect(pick({ include: ['./docs', '/README.md'] })).toEqual(['README.md', 'docs/guide.md']);
    expect(pick({ include: ['**', 'node_modules', 'lib/.git', '.DS_Store'] })).toEqual([
      'README.md',
      'src/a.ts',
      'src/a.test.ts',
      'docs/guide.md',
    ]);
  });

  it('applies excludes after includes, matching dotfiles too', () => {
    expect(pick({ exclude: ['**/*.test.ts', 'docs'] })).toEqual(['README.md', 'src/a.ts']);
    expect(pick({ include: ['src', 'src/.env'], exclude: ['**/.env'] })).toEqual(['src/a.ts', 'src/a.test.ts']);
  });

  it('refuses an include pattern that matches no file, and a selection of nothing', () => {
    expect(() => pick({ include: ['src', 'lib'] })).toThrow(/pattern\(s\) "lib" match no file of the source/);
    expect(() => pick({ include: ['src'], exclude: ['src'] })).toThrow(/would hold only granary.json/);
  });

  it('refuses patterns outside the bounded subset, naming them: braces, groups, extglobs, escapes', () => {
    for (const bad of ['*(@(a|a|a|a))x', '{src,lib}/**', '@(a)', 'a|b', 'src\\x', '[ab']) {
      expect(() => pick({ include: [bad] }), bad).toThrow(
        new RegExp(`pattern ${JSON.stringify(bad).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`),
      );
    }
  });

  it('refuses negations and patterns pointing outside the package', () => {
    expect(() => pick({ include: ['!src'] })).toThrow(InputError);
    expect(() => pick({ exclude: ['../x'] })).toThrow(InputError);
    expect(() => pick({ include: ['/'] })).toThrow(InputError);
  });

  it('warns about links, submodules and other entries instead of packing them', () => {
    const entries: SourceEntry[] = [
      file('a.txt'),
      { ...file('ln'), mode: '120000', kind: 'symlink' },
      { ...file('vendor/x'), mode: '160000', kind: 'submodule', size: 0 },
    ];
    const sel = selectFiles(entries, fileRules(undefined), 'demo@1.0.0');
    expect(sel.files.map((f) => f.path)).toEqual(['a.txt']);
    expect(sel.warnings).toEqual([
      expect.stringMatching(/^symlink ln left out/),
      expect.stringMatching(/^submodule vendor\/x left out/),
    ]);
    expect(selectFiles(entries, fileRules({ exclude: ['ln', 'vendor'] }), 'x').warnings).toEqual([]);
  });

  it('refuses file names with control characters, backslashes or invalid UTF-8, whatever the globs say', () => {
    expect(() => selectFiles([file('bad\nname')], fileRules(undefined), 'x')).toThrow(SourceFailure);
    expect(() => selectFiles([file('bad\uFFFDname')], fileRules(undefined), 'x')).toThrow(/UTF-8/);
    expect(() => selectFiles([file('bad\nname'), file('ok')], fileRules({ include: ['ok'] }), 'x')).toThrow(
      /control characters/,
    );
    expect(() => selectFiles([file('a\\b')], fileRules(undefined), 'x')).toThrow(/backslashes/);
    expect(
      selectFiles([file('node_modules/bad\nname'), file('ok')], fileRules(undefined), 'x').files.map((f) => f.path),
    ).toEqual(['ok']);
  });

  it("packs the registry's default include, which may match nothing, plus the definition's additions", () => {
    const defaults = { include: ['src/**', 'README*', 'LICENSE*', 'spago.yaml'], exclude: ['**/*.test.ts'] };
    // spago.yaml and LICENSE* match nothing here: defaults take what is there.
    expect(pick(undefined, defaults)).toEqual(['README.md', 'src/a.ts']);
    // `add` adds to the default (and may match nothing either, as a registry's optional extras do).
    expect(pick({ add: ['docs/**', 'CHANGELOG.md'] }, defaults)).toEqual(['README.md', 'src/a.ts', 'docs/guide.md']);
    // `include` replaces the default, and each of its patterns must match; the registry's excludes still apply.
    expect(pick({ include: ['src'] }, defaults)).toEqual(['src/a.ts']);
    expect(() => pick({ include: ['src', 'lib'] }, defaults)).toThrow(/"lib" match no file/);
    expect(pick({ exclude: ['README.md'] }, defaults)).toEqual(['src/a.ts']);
    // Without registry defaults, `add` next to the implicit `**` changes nothing but dotfiles.
    expect(pick({ add: ['.eslintrc'] })).toEqual([
      'README.md',
      'src/a.ts',
      'src/a.test.ts',
      '.eslintrc',
      'docs/guide.md',
    ]);
  });
});
