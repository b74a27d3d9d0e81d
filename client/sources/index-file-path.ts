/** Index paths a source may be asked for: relative, plain segments, never able to leave the index base. */
import { InputError, shown } from '../../core/errors.js';

const SEGMENT = /^[A-Za-z0-9@_-][A-Za-z0-9@._-]*$/;
const MAX_PATH_LENGTH = 300;

/** Throw unless `path` is a relative index path made of safe segments (`config.json`, `pr/el/prelude`, `@s/1/a`). */
export function checkIndexFilePath(path: string): string {
  const segments = path.split('/');
  const ok =
    path.length > 0 &&
    path.length <= MAX_PATH_LENGTH &&
    segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!ok)
    throw new InputError(`refusing to read the index path ${shown(path)}`, {
      hint: 'index paths are relative (e.g. "pr/el/prelude"); this is a bug in the caller',
    });
  return path;
}
