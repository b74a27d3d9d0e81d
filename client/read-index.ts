/** The one-call read of a package's index lines, for tools that need a single package from a registry. */
import type { IndexLine } from '../schema/types.js';
import { openRegistry } from './registry.js';
import type { OpenOptions } from './types.js';

/**
 * Open the registry at `spec` (checking its signed metadata as `openRegistry` does) and return every
 * verified index line of `name`, one per version, sorted by version; [] when the registry has no such
 * package. To read more than one package, open the registry once and call `registry.lines(name)`.
 */
export async function readIndex(spec: string, name: string, options: OpenOptions): Promise<IndexLine[]> {
  const registry = await openRegistry(spec, options);
  return registry.lines(name);
}
