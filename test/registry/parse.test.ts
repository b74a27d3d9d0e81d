// The one reader with plain text: typed values, or problems at file:line:col with their rule ids.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import {
  parseDefinition,
  parseOverride,
  parseRegistrySettings,
  validValue,
  type ReaderSettings,
} from '../../curator/registry/parse.js';

const SETTINGS: ReaderSettings = {
  limits: { maxDefinitionBytes: 16 * 1024 },
  sources: { hosts: ['github.com'], schemes: ['https'] },
};

const DEFINITION = [
  'name: left-pad',
  'version: 1.0.0',
  'license: MIT',
  'location:',
  '  github: alice/left-pad',
  'ref: v1.0.0',
  'dependencies:',
  '  right-pad: ^1.0.0',
  '',
].join('\n');

describe('parseDefinition', () => {
  it('returns the typed definition, with name and version from the path', () => {
    const parsed = parseDefinition(DEFINITION, 'packages/left-pad/1.0.0.yaml', SETTINGS);
    expect(parsed.problems).toEqual([]);
    expect(parsed).toMatchObject({ name: 'left-pad', version: '1.0.0', file: 'packages/left-pad/1.0.0.yaml' });
    expect(parsed.value).toMatchObject({ name: 'left-pad', dependencies: { 'right-pad': '^1.0.0' } });
    expect(validValue(parsed)).toBe(parsed.value);
    // Bytes read the same as text.
    expect(parseDefinition(Buffer.from(DEFINITION), 'packages/left-pad/1.0.0.yaml', SETTINGS).value).toEqual(
      parsed.value,
    );
  });

  it('locates every problem of the file, each with its rule', () => {
    const text = DEFINITION.replace('license: MIT', 'license: "(MIT OR"')
      .replace('^1.0.0', 'one point oh')
      .replace('alice/left-pad', 'alice/left-pad\n  subdir: x\nlocation2: 1');
    const parsed = parseDefinition(text, 'packages/left-pad/1.0.1.yaml', SETTINGS);
    expect(parsed.problems.map((p) => `${p.line}:${p.col} ${p.rule}`)).toEqual([
      '2:1 path-mismatch',
      '3:1 license',
      '7:1 schema',
      '10:3 range-syntax',
    ]);
    expect(parsed.value).toBeUndefined();
  });

  it('keeps the value when only rules beyond the schema fail, and refuses it through validValue', () => {
    const parsed = parseDefinition(
      DEFINITION.replace('license: MIT', 'license: "(MIT OR"'),
      'packages/left-pad/1.0.0.yaml',
      SETTINGS,
    );
    expect(parsed.value?.license).toBe('(MIT OR');
    let error: unknown;
    try {
      validValue(parsed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      message: expect.stringMatching(/not an SPDX license expression.*\[license\]$/),
      where: 'packages/left-pad/1.0.0.yaml:3:1',
    });
  });

  it('applies the source rule only when the allowed sources are known', () => {
    const text = DEFINITION.replace('github: alice/left-pad', 'git: https://evil.example/left-pad.git');
    const path = 'packages/left-pad/1.0.0.yaml';
    expect(parseDefinition(text, path, SETTINGS).problems.map((p) => p.rule)).toEqual(['source-not-allowed']);
    expect(parseDefinition(text, path, { limits: SETTINGS.limits }).problems).toEqual([]);
  });

  it('refuses a file that is not where a definition belongs, and bytes that are not UTF-8 or too many', () => {
    expect(parseDefinition(DEFINITION, 'overrides/left-pad/1.0.0.yaml', SETTINGS).problems).toEqual([
      expect.objectContaining({ rule: 'file-layout', line: 1, col: 1 }),
    ]);
    expect(parseDefinition(DEFINITION, 'packages/left-pad/1.0.0.yml', SETTINGS).problems[0]?.rule).toBe('file-layout');
    expect(
      parseDefinition(Buffer.from([0xff, 0xfe]), 'packages/left-pad/1.0.0.yaml', SETTINGS).problems.map((p) => p.rule),
    ).toEqual(['encoding']);
    const small = { limits: { maxDefinitionBytes: 10 } };
    expect(parseDefinition(DEFINITION, 'packages/left-pad/1.0.0.yaml', small).problems.map((p) => p.rule)).toEqual([
      'file-too-large',
    ]);
  });
});

describe('parseOverride', () => {
  it('returns the override only when every rule passes', () => {
    const path = 'overrides/left-pad/1.0.0.yaml';
    const good = parseOverride('reason: bad bounds\ndependencies:\n  right-pad: ">=1.0.0 <1.2.0"\n', path, SETTINGS);
    expect(good.value).toEqual({ reason: 'bad bounds', dependencies: { 'right-pad': '>=1.0.0 <1.2.0' } });
    const bad = parseOverride('reason: bad bounds\ndependencies:\n  right-pad: "one point oh"\n', path, SETTINGS);
    expect(bad.value).toBeUndefined();
    expect(bad.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.rule}`)).toEqual([`${path}:3:3 range-syntax`]);
    const spaced = parseOverride(
      'reason: bad bounds\ndependencies:\n  right-pad: ">= 1.0.0  <1.2.0"\n',
      path,
      SETTINGS,
    );
    expect(spaced.value).toBeUndefined();
    expect(spaced.problems).toEqual([
      expect.objectContaining({
        line: 3,
        col: 3,
        rule: 'range-syntax',
        message: 'dependency right-pad: ">= 1.0.0  <1.2.0" is not in normal form: write ">=1.0.0 <1.2.0"',
      }),
    ]);
  });
});

describe('parseRegistrySettings', () => {
  it('fills in defaults, and falls back to them with located problems when the file is broken', () => {
    const ok = parseRegistrySettings('name: test\n');
    expect(ok.problems).toEqual([]);
    expect(ok.config).toMatchObject({ name: 'test', indexBranch: 'index', sources: { schemes: ['https'] } });
    const broken = parseRegistrySettings('name: test\nlimits:\n  maxPackagesPerPr: 0\n');
    expect(broken.config.name).toBe('registry');
    expect(broken.problems).toEqual([
      expect.objectContaining({ file: 'registry.yaml', line: 3, col: 3, rule: 'schema' }),
    ]);
  });
});
