/** Published definition files are never edited: where the first edited line is, for the report. */
import { decodeUtf8 } from '../registry/parse.js';
import type { At } from '../registry/problem-list.js';

/** The first line (1-based) where `after` differs from `before`. */
export function firstChangedLine(before: Buffer | undefined, after: Buffer | undefined): At {
  const a = before ? decodeUtf8(before) : undefined;
  const b = after ? decodeUtf8(after) : undefined;
  if (a === undefined || b === undefined) return { line: 1, col: 1 };
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return { line: i + 1, col: 1 };
  }
  return { line: 1, col: 1 };
}

export const IMMUTABLE_MESSAGE =
  'published definitions are never edited: publish a new version instead, or ask a trustee for an override in overrides/';
