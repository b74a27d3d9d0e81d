/** Every dependency range must be a range of the grammar (docs/ranges.md), written in its normal form. */
import type { Problem } from '../../core/errors.js';
import { rangeError } from '../../core/ranges.js';
import type { LoadedYaml } from '../../core/yaml.js';
import { ProblemList } from './problem-list.js';

// Registries repeat the same few thousand ranges; parsing each once keeps whole-registry checks fast.
const verdicts = new Map<string, string | undefined>();

function cachedRangeError(range: unknown): string | undefined {
  if (typeof range !== 'string') return rangeError(range);
  if (verdicts.has(range)) return verdicts.get(range);
  const verdict = rangeError(range);
  if (verdicts.size > 100_000) verdicts.clear();
  verdicts.set(range, verdict);
  return verdict;
}

/** Problems (rule `range-syntax`) for the ranges of `dependencies`, located at each dependency's key. */
export function rangeProblems(
  file: string,
  loaded: LoadedYaml,
  dependencies: Record<string, unknown> | undefined,
): Problem[] {
  const problems = new ProblemList();
  for (const [name, range] of Object.entries(dependencies ?? {})) {
    const error = cachedRangeError(range);
    if (error)
      problems.error(file, loaded.locate(['dependencies', name]), 'range-syntax', `dependency ${name}: ${error}`);
  }
  return problems.items;
}
