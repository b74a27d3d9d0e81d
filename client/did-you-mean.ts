/** The suggestion for a package name the registry does not have, wherever a name is looked up (info, resolve, install). */
import { similarNames } from '../core/names.js';

/** `did you mean a, b?` with at most five of `known` close to `name` (core/names.ts's rule), or undefined when none is. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const similar = similarNames(name, known);
  return similar.length > 0 ? `did you mean ${similar.slice(0, 5).join(', ')}?` : undefined;
}
