/** Flag values shared by several commands, parsed once. */
import { UsageError } from '../core/errors.js';

/** A whole number ≥ 1 given to `flag` (or set where `flag` says), or a usage error that shows `example`. */
export function positiveInteger(value: string, flag: string, example = `${flag} 8`): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, not ${JSON.stringify(value)}`, {
      hint: `e.g. ${example}`,
    });
  return n;
}
