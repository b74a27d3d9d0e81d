/** `name[@range]` from the command line into a request. */
import { UsageError, shown } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { normalizeRange, rangeReadError } from '../../core/ranges.js';
import type { Request } from '../types.js';

/** Parse `name`, `name@range` or `@scope/name@range`; the range defaults to `*` and is given in normal form. */
export function parseSpec(spec: string): Request {
  const text = spec.trim();
  const at = text.indexOf('@', text.startsWith('@') ? 1 : 0);
  const name = at < 0 ? text : text.slice(0, at);
  const range = at < 0 ? '*' : text.slice(at + 1).trim();
  const badName = nameError(name);
  if (badName)
    throw new UsageError(`${shown(spec)} does not start with a package name: ${badName}`, {
      hint: 'write a request as name or name@range, e.g. prelude@^6.0.0',
    });
  const badRange = rangeReadError(range);
  if (badRange)
    throw new UsageError(`${shown(spec)} has an invalid range: ${badRange}`, {
      hint: 'write a request as name or name@range, e.g. prelude@">=6.0.0 <7.0.0"',
    });
  return { name, range: normalizeRange(range) ?? range };
}
