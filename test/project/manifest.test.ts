// granary.yaml, the project manifest: read as hostile input with file:line:col in every error, and
// edited so that what the user wrote (comments, other keys, order, quoting) stays.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { editManifest, MAX_MANIFEST_BYTES, parseManifest, readManifest } from '../../client/manifest.js';
import { tempDir } from '../helpers/tmp.js';

function problem(text: string): { where: string | undefined; message: string } {
  try {
    parseManifest(text, 'granary.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return { where: (error as InputError).where, message: (error as InputError).message };
  }
  throw new Error('parseManifest accepted it');
}

describe('reading granary.yaml', () => {
  it('takes dependencies as name → range, in normal form, and ignores the keys `granary submit` reads', () => {
    const m = parseManifest(
      'name: my-app\nlicense: MIT\nfiles:\n  include: ["src/**"]\ndependencies:\n  left-pad: ">= 1.0.0"\n  "@acme/tool": ^0.3.2\n  any: "*"\n',
      'granary.yaml',
    );
    expect({ ...m.requests }).toEqual({ 'left-pad': '>=1.0.0', '@acme/tool': '^0.3.2', any: '*' });
  });

  it('reads an empty file, a comment, or no dependencies as no requests', () => {
    for (const text of ['', '# nothing yet\n', 'name: x\n', 'dependencies:\n', 'dependencies: {}\n'])
      expect(Object.keys(parseManifest(text, 'granary.yaml').requests)).toEqual([]);
  });

  it.each([
    [
      'a name that is not one',
      'name: x\ndependencies:\n  ok: ^1.0.0\n  Left_Pad: ^1.0.0\n',
      'granary.yaml:4:3',
      /"Left_Pad" is not a package name/,
    ],
    [
      'a range that is not one',
      'dependencies:\n  left-pad: "one point two"\n',
      'granary.yaml:2:3',
      /dependencies\.left-pad: .*is not/,
    ],
    ['a number for a range', 'dependencies:\n  left-pad: 1\n', 'granary.yaml:2:3', /must be a string .*quote it/],
    [
      'dependencies as a list',
      'name: x\ndependencies:\n  - left-pad\n',
      'granary.yaml:2:1',
      /dependencies must be a mapping/,
    ],
    ['a file that is a list', '- left-pad\n', 'granary.yaml:1:1', /must be a mapping/],
    ['a name twice', 'dependencies:\n  a: ^1.0.0\n  a: ^2.0.0\n', 'granary.yaml:3:3', /unique/i],
    ['an alias', 'x: &r ^1.0.0\ndependencies:\n  a: *r\n', 'granary.yaml:1:7', /anchors/],
    ['broken YAML', 'dependencies:\n  a: [^1.0.0\n', 'granary.yaml:', /./],
  ])('refuses %s, naming file:line:col', (_what, text, where, message) => {
    const p = problem(text);
    expect(p.where).toMatch(new RegExp(`^${where.replace(/[.]/g, '\\.')}`));
    expect(p.message).toMatch(message);
  });

  it('reads the file, with a size cap, and gives undefined when there is none', async () => {
    const dir = await tempDir();
    expect(await readManifest(join(dir, 'granary.yaml'))).toBeUndefined();
    await writeFile(join(dir, 'granary.yaml'), `# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`);
    await expect(readManifest(join(dir, 'granary.yaml'), 'granary.yaml')).rejects.toThrow(/larger than/);
    await writeFile(join(dir, 'granary.yaml'), 'dependencies:\n  a: nope\n');
    await expect(readManifest(join(dir, 'granary.yaml'), 'app/granary.yaml')).rejects.toMatchObject({
      where: 'app/granary.yaml:2:3',
    });
    await mkdir(join(dir, 'sub', 'granary.yaml'), { recursive: true });
    await expect(readManifest(join(dir, 'sub', 'granary.yaml'))).rejects.toThrow(/is not a file/);
  });
});

describe('editing granary.yaml', () => {
  const text = [
    '# my app',
    'name: my-app # the name',
    'description: >-',
    '  a long description',
    '',
    'dependencies:',
    '  # kept at 1 on purpose',
    "  b: '^1.0.0' # quoted",
    '  a: ^2.0.0',
    'license: MIT',
    '',
  ].join('\n');

  it('changes only the dependencies: comments, other keys, their order and quoting stay', () => {
    const edited = editManifest(text, { set: { b: '^1.6.0', c: '>=1.0.0 <2.0.0', d: '*' }, remove: ['a'] });
    expect(edited).toBe(
      [
        '# my app',
        'name: my-app # the name',
        'description: >-',
        '  a long description',
        '',
        'dependencies:',
        '  # kept at 1 on purpose',
        "  b: '^1.6.0' # quoted",
        '  c: ">=1.0.0 <2.0.0"',
        '  d: "*"',
        'license: MIT',
        '',
      ].join('\n'),
    );
    // What it wrote reads back as what was set.
    expect({ ...parseManifest(edited, 'granary.yaml').requests }).toEqual({ b: '^1.6.0', c: '>=1.0.0 <2.0.0', d: '*' });
  });

  it('puts a new name in name order when the names were in order, else last', () => {
    expect(editManifest('dependencies:\n  a: ^1.0.0\n  c: ^1.0.0\n', { set: { b: '^1.0.0' } })).toBe(
      'dependencies:\n  a: ^1.0.0\n  b: ^1.0.0\n  c: ^1.0.0\n',
    );
    expect(editManifest('dependencies:\n  c: ^1.0.0\n  a: ^1.0.0\n', { set: { b: '^1.0.0' } })).toBe(
      'dependencies:\n  c: ^1.0.0\n  a: ^1.0.0\n  b: ^1.0.0\n',
    );
  });

  it('creates the file, or the dependencies key, when there is none', () => {
    expect(editManifest(undefined, { set: { a: '^1.6.0', '@acme/tool': '^0.3.2' } })).toBe(
      'dependencies:\n  "@acme/tool": ^0.3.2\n  a: ^1.6.0\n',
    );
    expect(editManifest('# mine\nname: x\n', { set: { a: '^1.0.0' } })).toBe(
      '# mine\nname: x\ndependencies:\n  a: ^1.0.0\n',
    );
    expect(editManifest('name: x\ndependencies:\n', { set: { a: '^1.0.0' } })).toBe(
      'name: x\ndependencies:\n  a: ^1.0.0\n',
    );
  });

  it('keeps an empty map when the last dependency goes', () => {
    expect(editManifest('name: x\ndependencies:\n  a: ^1.0.0\n', { remove: ['a'] })).toBe(
      'name: x\ndependencies: {}\n',
    );
  });
});
