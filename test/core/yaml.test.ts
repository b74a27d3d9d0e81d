import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../core/yaml.js';

describe('loadYaml', () => {
  it('reads plain YAML and locates keys by path', () => {
    const loaded = loadYaml('name: foo\nversion: 1.0.0\ndependencies:\n  bar: "^1.0.0"\n');
    expect(loaded.issues).toEqual([]);
    expect(loaded.value).toEqual({ name: 'foo', version: '1.0.0', dependencies: { bar: '^1.0.0' } });
    expect(loaded.locate(['dependencies', 'bar'])).toEqual({ line: 4, col: 3 });
    expect(loaded.locate(['version'])).toEqual({ line: 2, col: 1 });
    expect(loaded.locate(['missing'])).toEqual({ line: 1, col: 1 });
  });

  it('refuses duplicate keys at the line of the duplicate', () => {
    const loaded = loadYaml('name: foo\nname: bar\n');
    expect(loaded.value).toBeUndefined();
    expect(loaded.issues[0]).toMatchObject({ line: 2 });
    expect(loaded.issues[0]!.message).toMatch(/unique/i);
  });

  it('refuses aliases and anchors (no alias bombs)', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const loaded = loadYaml(bomb);
    expect(loaded.value).toBeUndefined();
    expect(loaded.issues[0]!.message).toMatch(/anchors|aliases/);
  });

  it('refuses custom tags, oversize files and NUL bytes', () => {
    expect(loadYaml('a: !!js/function "x"\n').issues.length).toBeGreaterThan(0);
    expect(loadYaml(`a: "${'x'.repeat(70_000)}"\n`).issues[0]!.message).toMatch(/larger than/);
    expect(loadYaml('a: b\u0000\n').issues[0]!.message).toMatch(/NUL/);
  });

  it('reports syntax errors with their line', () => {
    const loaded = loadYaml('a: b\nc: [1, 2\nd: e\n');
    expect(loaded.value).toBeUndefined();
    expect(loaded.issues[0]!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('loadYaml against shapes that make conversion explode', () => {
  it('refuses keys that are maps or lists, quickly', () => {
    const nested = `${'{'.repeat(500)}a: 1${'}'.repeat(500)}: b\n`;
    const started = Date.now();
    const loaded = loadYaml(nested);
    expect(loaded.value).toBeUndefined();
    expect(loaded.issues[0]!.message).toMatch(/keys must be plain names|nested deeper/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(loadYaml('? [a, b]\n: c\n').issues[0]!.message).toMatch(/keys must be plain names/);
  });

  it('refuses nesting deeper than 32 levels without overflowing the stack', () => {
    expect(loadYaml(`a: ${'['.repeat(40)}1${']'.repeat(40)}\n`).issues[0]!.message).toMatch(/deeper than 32/);
    const deep = loadYaml(`a: ${'['.repeat(20_000)}1${']'.repeat(20_000)}\n`);
    expect(deep.value).toBeUndefined();
    expect(deep.issues.length).toBeGreaterThan(0);
    expect(loadYaml(`a: ${'['.repeat(30)}1${']'.repeat(30)}\n`).issues).toEqual([]);
  });
});
