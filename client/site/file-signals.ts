/**
 * What a tarball's file list says about a package, for the site and the ranking's quality term: which
 * file is its README, and whether it ships tests and examples. Judged from paths alone (relative to the
 * package root, granary.json excluded), so the rule is the same for every language.
 */
import type { Quality } from '../search.js';

/** README, README.md, readme.markdown, README.txt, README.rst … at the package root; Markdown preferred. */
const README = /^readme(\.(md|markdown|mdown|mkdn|txt|rst|adoc|org))?$/i;
const MARKDOWN = /\.(md|markdown|mdown|mkdn)$/i;

/** Directories that hold tests, and file names that mark one (`test.js`, `x.test.js`, `x_spec.rb`, `test_x.py`, `XTest.java`). */
const TEST_DIRS = new Set(['test', 'tests', 'spec', 'specs', '__tests__', 'testing']);
const TEST_FILE =
  /^(tests?|specs?)\.[a-z0-9]+$|^test_.+|[._-](tests?|specs?)\.[a-z0-9]+$|[a-z0-9]Tests?\.[A-Za-z0-9]+$/;
/** Directories that hold examples, and file names that mark one (`example.js`, `examples.md`, `demo.py`). */
const EXAMPLE_DIRS = new Set(['example', 'examples', 'demo', 'demos', 'sample', 'samples']);
const EXAMPLE_FILE = /^(example|examples|demo|sample)s?([._-].*)?$/i;

/** The README to show, if the package has one. */
export function readmeFile(paths: readonly string[]): string | undefined {
  const candidates = paths.filter((p) => !p.includes('/') && README.test(p)).sort();
  return candidates.find((p) => MARKDOWN.test(p)) ?? candidates[0];
}

/** README, tests and examples present, each judged from the paths of the package's files. */
export function qualityOf(paths: readonly string[], readmeBytes: number): Quality {
  let tests = false;
  let examples = false;
  for (const path of paths) {
    const segments = path.split('/');
    const file = segments[segments.length - 1]!;
    const dirs = segments.slice(0, -1).map((s) => s.toLowerCase());
    if (!tests && (dirs.some((d) => TEST_DIRS.has(d)) || TEST_FILE.test(file))) tests = true;
    if (!examples && (dirs.some((d) => EXAMPLE_DIRS.has(d)) || EXAMPLE_FILE.test(file))) examples = true;
  }
  return { readme: readmeFile(paths) !== undefined && readmeBytes > 0, tests, examples };
}
