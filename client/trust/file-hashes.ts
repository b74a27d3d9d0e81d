/** Every index file must have exactly the SHA-256 that the snapshot lists for it. */
import { TrustError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import type { Snapshot } from '../../schema/types.js';

const HINT =
  'the index is inconsistent or was tampered with (a bad mirror or cache?): do not use it; try the registry itself, or report it to the registry operators';

/** Check `bytes` (undefined when the file is absent) of `path` against `snapshot.files`. */
export function checkAgainstSnapshot(path: string, bytes: Buffer | undefined, snapshot: Snapshot, where: string): void {
  const expected = Object.hasOwn(snapshot.files, path) ? snapshot.files[path] : undefined;
  if (bytes === undefined) {
    if (expected !== undefined)
      throw new TrustError(`index file ${path} is listed in snapshot.json but missing`, { where, hint: HINT });
    return;
  }
  if (expected === undefined)
    throw new TrustError(`index file ${path} is not listed in snapshot.json`, { where, hint: HINT });
  const actual = sha256Hex(bytes);
  if (actual !== expected)
    throw new TrustError(`index file ${path} has sha256 ${actual}, but snapshot.json lists ${expected}`, {
      where,
      hint: HINT,
    });
}
