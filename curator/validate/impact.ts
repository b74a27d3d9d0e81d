/**
 * The impact of a change on what resolves: for every package whose latest version resolves at base through
 * a package the change touches (override, yank, unpublish, a new major), whether it still resolves with the
 * change, and whether the versions it gets change. Computed with the client's resolver on both registries.
 */
import { resolve, type ResolvableRegistry } from '../../client/resolve/resolve.js';
import { ResolutionError } from '../../core/errors.js';
import type { RegistryView } from './registry-view.js';
import { viewRegistry } from './solvability.js';

export interface Impact {
  /** The package whose latest version is affected, as `name@version`. */
  package: string;
  effect: 'stops-resolving' | 'changes';
  /** What changes (`strpad 1.3.0 → 1.2.0`), or why it no longer resolves (the resolver's first line). */
  detail: string;
}

/** The packages whose latest versions stop resolving or resolve differently once `touched` change. */
export async function impactOf(
  base: RegistryView,
  head: RegistryView,
  touched: ReadonlySet<string>,
): Promise<Impact[]> {
  if (touched.size === 0) return [];
  const before = viewRegistry(base);
  const after = viewRegistry(head);
  const out: Impact[] = [];
  for (const name of base.names().sort()) {
    const version = base.versions(name).at(-1)!;
    const was = await picks(before, name, version);
    if (typeof was === 'string' || ![...was.keys()].some((n) => touched.has(n) && n !== name)) continue;
    if (!head.has(name, version)) continue;
    const now = await picks(after, name, version);
    if (typeof now === 'string') {
      out.push({ package: `${name}@${version}`, effect: 'stops-resolving', detail: now });
      continue;
    }
    const changed = [...new Set([...was.keys(), ...now.keys()])]
      .filter((n) => n !== name && was.get(n) !== now.get(n))
      .map((n) => `${n} ${was.get(n) ?? '(none)'} → ${now.get(n) ?? '(none)'}`);
    if (changed.length > 0) out.push({ package: `${name}@${version}`, effect: 'changes', detail: changed.join(', ') });
  }
  return out;
}

/** The versions name@version resolves to, or the resolver's first line of why it does not resolve. */
async function picks(
  registry: ResolvableRegistry,
  name: string,
  version: string,
): Promise<Map<string, string> | string> {
  try {
    const resolution = await resolve(registry, [{ name, range: version }], { includePrerelease: true });
    return new Map([...resolution.packages].map(([n, line]) => [n, line.version]));
  } catch (error) {
    if (!(error instanceof ResolutionError)) throw error;
    const lines = error.message.split('\n');
    return lines[1] ?? lines[0] ?? '';
  }
}
