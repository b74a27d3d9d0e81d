/** Resolution: the highest versions that satisfy every range, or an explanation of why none exist. */
import { ResolutionError, UsageError, shown } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { rangeReadError } from '../../core/ranges.js';
import type { IndexLine } from '../../schema/types.js';
import type { Registry, Request, ResolveOptions, Resolution } from '../types.js';
import { didYouMean } from '../did-you-mean.js';
import type { Universes } from './describe.js';
import { explain } from './explain.js';
import { packageVersions } from './package-versions.js';
import { SolveFailure, Solver } from './solver.js';

export { parseSpec } from './parse-spec.js';

/** What resolution reads of a registry: the lines of a package, a name for messages, and (for suggestions) packages.json. */
export type ResolvableRegistry = Pick<Registry, 'lines'> &
  Partial<Pick<Registry, 'packages'>> & { readonly source: { readonly description: string } };

/** Resolve `requests` against `registry`: each line's latest-revision dependencies, yanked/unpublished only when locked. */
export async function resolve(
  registry: ResolvableRegistry,
  requests: Request[],
  options: ResolveOptions = {},
): Promise<Resolution> {
  for (const r of requests) {
    const bad = nameError(r.name) ?? rangeReadError(r.range);
    if (bad)
      throw new UsageError(`invalid request ${shown(`${r.name}@${r.range}`)}: ${bad}`, {
        hint: 'write a request as name or name@range, e.g. prelude@^6.0.0',
      });
  }
  const includePrerelease = options.includePrerelease ?? false;
  const solver = new Solver({
    requests,
    locked: options.locked,
    load: async (name) =>
      packageVersions(name, await registry.lines(name), options.locked?.get(name), includePrerelease),
  });
  let picks: Map<string, number>;
  try {
    picks = await solver.solve();
  } catch (error) {
    if (!(error instanceof SolveFailure)) throw error;
    const text = explain(error.incompatibility, await withSuggestions(solver.universes, registry));
    const asked =
      requests
        .slice(0, 5)
        .map((r) => `${r.name}@${r.range}`)
        .join(', ') + (requests.length > 5 ? ` and ${requests.length - 5} more` : '');
    throw new ResolutionError(`no set of versions satisfies ${asked}:\n${text}`, {
      where: registry.source.description,
      hint:
        "change the ranges named above (or ask the packages' maintainers to widen their bounds)" +
        (includePrerelease ? '' : '; prereleases are only used with --prerelease'),
    });
  }
  const packages = new Map<string, IndexLine>();
  for (const name of [...picks.keys()].sort()) packages.set(name, solver.universes.get(name)!.lines[picks.get(name)!]!);
  return { packages, roots: requests };
}

/** The universes, with a `did you mean …?` for each package the registry does not have (from packages.json, when it can be read). */
async function withSuggestions(universes: Universes, registry: ResolvableRegistry): Promise<Universes> {
  if (registry.packages === undefined || [...universes.values()].every((pv) => pv.exists)) return universes;
  const known = await registry.packages().then(
    (file) => file.packages.map((p) => p.name),
    () => [],
  );
  return new Map(
    [...universes].map(([name, pv]) => {
      const suggestion = pv.exists ? undefined : didYouMean(name, known);
      return [name, suggestion === undefined ? pv : { ...pv, suggestion }];
    }),
  );
}
