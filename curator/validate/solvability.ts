/**
 * Whole-graph solvability: a new version (or one whose bounds an override changes) must be installable,
 * its dependencies resolving together with the registry at base plus the pull request, by the client's
 * own resolver, so that what the gate passes is what `granary install` can install.
 */
import { resolve, type ResolvableRegistry } from '../../client/resolve/resolve.js';
import { ResolutionError } from '../../core/errors.js';
import { isPrerelease } from '../../core/versions.js';
import type { IndexLine } from '../../schema/types.js';
import type { RegistryView } from './registry-view.js';

/** The registry `view` shows, as the resolver reads one: every version with its effective dependencies. */
export function viewRegistry(view: RegistryView): ResolvableRegistry {
  const cache = new Map<string, Promise<IndexLine[]>>();
  const load = async (name: string): Promise<IndexLine[]> => {
    const lines: IndexLine[] = [];
    for (const version of view.versions(name)) {
      const override = (await view.override(name, version))?.value;
      lines.push({
        name,
        version,
        dependencies: await view.effectiveDependencies(name, version),
        ...(override?.yanked === true ? { yanked: true } : {}),
      } as IndexLine);
    }
    return lines;
  };
  return {
    source: { description: 'the registry with this change' },
    lines: (name) => {
      let lines = cache.get(name);
      if (!lines) {
        lines = load(name);
        cache.set(name, lines);
      }
      return lines;
    },
  };
}

/** Why name@version cannot be installed from `registry` (the resolver's explanation), or undefined. */
export async function unsolvable(
  registry: ResolvableRegistry,
  name: string,
  version: string,
): Promise<string | undefined> {
  try {
    await resolve(registry, [{ name, range: version }], { includePrerelease: isPrerelease(version) });
    return undefined;
  } catch (error) {
    if (error instanceof ResolutionError) return error.message.replace(/^no set of versions satisfies [^:]*:\n/, '');
    throw error;
  }
}
