/** Which entries of a source tree go into the tarball: fixed excludes, then the definition's include/exclude globs. */
import picomatch from 'picomatch';
import { InputError, shown } from '../../core/errors.js';
import { SourceFailure } from '../source/errors.js';
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
}

export interface FileGlobs {
  include?: string[];
  exclude?: string[];
}

type Matcher = (path: string) => boolean;

/** Apply the fixed excludes and `globs` to `entries`; throws for paths that cannot be packed safely. */
export function selectFiles(entries: SourceEntry[], globs: FileGlobs | undefined, where: string): Selection {
  const include =
    globs?.include && globs.include.length > 0 ? compile(globs.include, false, where, 'include') : () => true;
  const exclude =
    globs?.exclude && globs.exclude.length > 0 ? compile(globs.exclude, true, where, 'exclude') : () => false;
  const includeAll = !(globs?.include && globs.include.length > 0);
  // Without an include list every non-dot path is taken, exactly as the pattern `**` would.
  const defaultInclude = compile(['**'], false, where, 'include');

  const files: SourceEntry[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    if (entry.path.split('/').some((part) => FIXED.has(part.toLowerCase()))) continue;
    // Checked before the globs: glob matching cannot be trusted on such names, so they are refused, never silently dropped.
    checkPath(entry.path, where);
    if (!(includeAll ? defaultInclude(entry.path) : include(entry.path)) || exclude(entry.path)) continue;
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
  return { files, warnings };
}

/** A pattern matches a path, or any directory above it (so `src` means everything under src). */
function compile(patterns: string[], dot: boolean, where: string, key: string): Matcher {
  const matchers = patterns.map((raw) => {
    const pattern = normalizePattern(raw, where, key);
    const self = picomatch(pattern, { dot });
    const below = picomatch(`${pattern}/**`, { dot });
    return (path: string) => self(path) || below(path);
  });
  return (path) => matchers.some((m) => m(path));
}

function normalizePattern(raw: string, where: string, key: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255)
    throw new InputError(`files.${key} pattern ${shown(raw)} is not a glob`, { where });
  if (raw.startsWith('!')) {
    throw new InputError(`files.${key} pattern ${shown(raw)} is a negation`, {
      where,
      hint: 'negations are not supported: list the files to leave out under files.exclude',
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
