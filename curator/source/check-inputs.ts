/** Strict checks on the parts of a definition that reach git: nothing shaped like an option, a transport or a path escape gets through. */
import { shown } from '../../core/errors.js';
import { SourceFailure } from './errors.js';

const REF = /^[A-Za-z0-9][A-Za-z0-9._+/-]{0,254}$/;
const COMMIT = /^[0-9a-f]{40}$/;
const SUBDIR = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `ref` is not an acceptable tag name, or undefined. Mirrors git check-ref-format plus a stricter alphabet. */
export function refProblem(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || ref.length === 0) return 'a ref must be a non-empty string';
  if (CONTROL.test(ref)) return 'a ref may not contain control characters';
  if (!REF.test(ref))
    return 'a ref starts with a letter or digit and contains only letters, digits and . _ + / - (at most 255 characters)';
  if (ref.includes('..')) return 'a ref may not contain ".."';
  if (ref.startsWith('refs/')) return 'write the tag name without "refs/tags/"';
  for (const part of ref.split('/')) {
    if (part === '') return 'a ref may not contain empty path components ("//" or a trailing "/")';
    if (part.startsWith('.') || part.endsWith('.')) return 'a ref component may not start or end with "."';
    if (part.endsWith('.lock')) return 'a ref component may not end with ".lock"';
  }
  return undefined;
}

/** Throw unless `ref` is a plain tag name. */
export function checkRef(ref: unknown, where: string): string {
  const problem = refProblem(ref);
  if (problem)
    throw new SourceFailure(`ref ${shown(ref)} is refused: ${problem}`, 'ref-invalid', {
      where,
      hint: 'set `ref` to the tag name, e.g. v1.2.0',
    });
  return ref as string;
}

/** Throw unless `commit` is absent or a full 40-hex commit id. */
export function checkCommit(commit: unknown, where: string): string | undefined {
  if (commit === undefined) return undefined;
  if (typeof commit !== 'string' || !COMMIT.test(commit)) {
    throw new SourceFailure(`commit ${shown(commit)} is not a full commit id`, 'source-invalid', {
      where,
      hint: 'write the 40-character lowercase hex id, or leave `commit` out',
    });
  }
  return commit;
}

/** Throw unless `subdir` is absent or a plain relative path without `.`/`..` segments. */
export function checkSubdir(subdir: unknown, where: string): string | undefined {
  if (subdir === undefined) return undefined;
  const ok =
    typeof subdir === 'string' &&
    subdir.length <= 255 &&
    SUBDIR.test(subdir) &&
    !subdir.split('/').some((p) => p === '.' || p === '..');
  if (!ok) {
    throw new SourceFailure(`subdir ${shown(subdir)} is refused`, 'source-invalid', {
      where,
      hint: 'use a relative path inside the repository, e.g. packages/core (no "..", no leading "/")',
    });
  }
  return subdir as string;
}
