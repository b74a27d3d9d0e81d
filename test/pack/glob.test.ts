// The bounded glob subset: what each form matches, dot names only when named, and no pattern of the
// subset makes matching slow (an exponential matcher would run past the test's timeout on these).
import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem } from '../../curator/pack/glob.js';

const match = (pattern: string, path: string, dot = false) => compileGlob(pattern, { dot })(path);

describe('compileGlob', () => {
  it.each([
    ['*.md', 'README.md', true],
    ['*.md', 'docs/a.md', false],
    ['**/*.md', 'docs/a.md', true],
    ['**/*.md', 'a.md', true],
    ['src/**', 'src/a/b/c.ts', true],
    ['src/**/test', 'src/test', true],
    ['src/**/test', 'src/a/b/test', true],
    ['src/*/x', 'src/a/b/x', false],
    ['?.txt', 'a.txt', true],
    ['?.txt', 'ab.txt', false],
    ['[abc].js', 'b.js', true],
    ['[a-c].js', 'd.js', false],
    ['[!a-c].js', 'd.js', true],
    ['*', '.eslintrc', false],
    ['.*', '.eslintrc', true],
    ['**', 'a/.hidden/b', false],
    ['src/.env', 'src/.env', true],
  ] as const)('%s ~ %s is %s', (pattern, path, expected) => {
    expect(match(pattern, path)).toBe(expected);
  });

  it('lets wildcards match dot names with dot: true (excludes)', () => {
    expect(match('**', 'a/.hidden/b', true)).toBe(true);
    expect(match('*', '.eslintrc', true)).toBe(true);
  });

  it('matches pathological patterns of the subset without backtracking blow-up', () => {
    const long = 'a'.repeat(240);
    expect(match(`${'*a'.repeat(30)}*b`, long)).toBe(false);
    expect(match(`${'**/'.repeat(20)}x`, Array.from({ length: 60 }, () => 'a').join('/'))).toBe(false);
    expect(match(`${'*a'.repeat(30)}*`, long)).toBe(true);
  });

  it('names what is outside the subset', () => {
    expect(globProblem('*(@(a|a|a|a))x')).toMatch(/extglobs/);
    expect(globProblem('{a,b}')).toMatch(/braces/);
    expect(globProblem('src/**/*.ts')).toBeUndefined();
  });
});
