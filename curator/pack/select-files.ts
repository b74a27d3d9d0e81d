/** Which entries of a source tree go into the tarball: fixed excludes, then the definition's include/exclude globs. */
import { InputError, shown } from '../../core/errors.js';
import { SourceFailure } from '../source/errors.js';
import { compileGlob, globProblem } from './glob.js';
import type { SourceEntry } from '../source/read-tree.js';

/** Path components never packed, whatever the globs say (compared case-insensitively). */
export const FIXED_EXCLUDES = [
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  '_darcs',
  '.fossil',
  'CVS',
  '.jj',
  '.pijul',
  'node_modules',
  '.DS_Store',
  'Thumbs.db',
  'desktop.ini',
];
const FIXED = new Set(FIXED_EXCLUDES.map((n) => n.toLowerCase()));

/** The manifest the packer writes at the package root; a source file of that name is replaced. */
export const MANIFEST_NAME = 'granary.json';

export interface Selection {
  /** Regular files to pack, in tree order. */
  files: SourceEntry[];
  /** Symlinks, submodules and replaced files left out, one sentence each. */
  warnings: string[];
  /** The definition's `files.add` patterns that matched no file (allowed, but worth saying in a pull request). */
  unmatchedAdded: string[];
}

export interface FileGlobs {
  include?: string[];
  add?: string[];
  exclude?: string[];
}

/** What one tarball packs: the patterns that must each match a file, those that may match none, and the excludes. */
export interface FileRules {
  /** The definition's own `include` (replacing the registry's default): a pattern that matches nothing is a mistake. */
  include: string[];
  /** The registry's default include (or everything) and the definition's `add`: each takes what is there. */
  optional: string[];
  /** The registry's excludes and the definition's. */
  exclude: string[];
  /** Which of `optional` are the definition's own `files.add` (reported when they match nothing). */
  added: string[];
}

/**
 * The rules for a definition's `files` in a registry whose `registry.yaml` `files` sets the defaults: a
 * definition's `include` replaces the default include, `add` adds to it, and excludes add up.
 */
export function fileRules(
  files: FileGlobs | undefined,
  defaults: { include?: string[] | undefined; exclude?: string[] } = {},
): FileRules {
  const own = files?.include !== undefined && files.include.length > 0 ? files.include : [];
  const base = own.length > 0 ? [] : (defaults.include ?? ['**']);
  return {
    include: own,
    optional: [...base, ...(files?.add ?? [])],
    exclude: [...(defaults.exclude ?? []), ...(files?.exclude ?? [])],
    added: files?.add ?? [],
  };
}

type Matcher = (path: string) => boolean;

/** Apply the fixed excludes and `rules` to `entries`; throws for paths that cannot be packed safely. */
export function selectFiles(entries: SourceEntry[], rules: FileRules, where: string): Selection {
  const includes = compile(rules.include, false, where, 'include');
  const excludes = compile(rules.exclude, true, where, 'exclude');
  // `**` takes every non-dot path; the optional patterns may match nothing.
  const included = [...includes, ...compile(rules.optional, false, where, 'add')];
  const used = new Set<string>();

  const files: SourceEntry[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    const fixed = entry.path.split('/').some((part) => FIXED.has(part.toLowerCase()));
    // Checked before the globs: glob matching cannot be trusted on such names, so they are refused, never silently dropped.
    if (!fixed) checkPath(entry.path, where);
    const by = included.filter((m) => m.matches(entry.path));
    // A pattern that names only always-excluded files (node_modules, .git) still names something.
    for (const m of by) used.add(m.raw);
    if (fixed || by.length === 0 || excludes.some((m) => m.matches(entry.path))) continue;
    if (entry.path === MANIFEST_NAME) {
      warnings.push(`${MANIFEST_NAME} of the source was replaced by the generated manifest`);
      continue;
    }
    switch (entry.kind) {
      case 'file':
        files.push(entry);
        break;
      case 'symlink':
        warnings.push(`symlink ${entry.path} left out: symlinks are never packed`);
        break;
      case 'submodule':
        warnings.push(
          `submodule ${entry.path} left out: submodules are never packed (vendor the files, or publish the submodule as its own package)`,
        );
        break;
      default:
        warnings.push(`${entry.path} (git mode ${entry.mode}) left out: only regular files are packed`);
    }
  }
  const unused = includes.filter((m) => !used.has(m.raw)).map((m) => shown(m.raw));
  if (unused.length > 0) {
    throw new InputError(`files.include pattern(s) ${unused.join(', ')} match no file of the source`, {
      where,
      hint: 'fix the pattern (a typo, or a path that moved), or remove it; patterns are relative to the package root',
    });
  }
  if (files.length === 0) {
    throw new InputError('no file of the source would be packed: the tarball would hold only granary.json', {
      where,
      hint: 'check files.include and files.exclude, and that the tag points at the commit with the sources',
    });
  }
  const unmatchedAdded = (rules.added ?? []).filter((raw) => !used.has(raw));
  return { files, warnings, unmatchedAdded };
}

/** A pattern matches a path, or any directory above it (so `src` means everything under src). */
function compile(
  patterns: string[],
  dot: boolean,
  where: string,
  key: string,
): Array<{ raw: string; matches: Matcher }> {
  return patterns.map((raw) => {
    const pattern = normalizePattern(raw, where, key);
    const self = compileGlob(pattern, { dot });
    const below = compileGlob(`${pattern}/**`, { dot });
    return { raw, matches: (path: string) => self(path) || below(path) };
  });
}

function normalizePattern(raw: string, where: string, key: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255)
    throw new InputError(`files.${key} pattern ${shown(raw)} is not a glob`, { where });
  const problem = globProblem(raw);
  if (problem) {
    throw new InputError(`files.${key} pattern ${shown(raw)} ${problem}`, {
      where,
      hint: 'patterns use *, ?, [abc] within a name and ** across directories (docs/definition-reference.md)',
    });
  }
  const pattern = raw.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  if (pattern === '' || pattern.split('/').includes('..')) {
    throw new InputError(`files.${key} pattern ${shown(raw)} does not name anything inside the package`, {
      where,
      hint: 'patterns are relative to the package root, e.g. src/** or LICENSE',
    });
  }
  return pattern;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Paths that a client could not extract faithfully everywhere are refused rather than silently changed. */
function checkPath(path: string, where: string): void {
  if (path.includes('\uFFFD')) {
    throw new SourceFailure(`the source has a file name that is not valid UTF-8 (${shown(path)})`, 'source-invalid', {
      where,
      hint: 'rename the file: file names must be UTF-8',
    });
  }
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new SourceFailure(
      `the source has a path with an empty, "." or ".." segment (${shown(path)})`,
      'source-invalid',
      {
        where,
        hint: 'such tree entries escape the package directory when unpacked: the repository was built to attack, or is corrupt',
      },
    );
  }
  if (CONTROL.test(path) || path.includes('\\')) {
    throw new SourceFailure(
      `the source has a file name with control characters or backslashes (${shown(path)})`,
      'source-invalid',
      {
        where,
        hint: 'rename the file: names with control characters or backslashes cannot be unpacked the same everywhere',
      },
    );
  }
}
