/** `granary remove NAME...`: drop dependencies from granary.yaml, resolve again, and uninstall what nothing needs any more. */
import { dictionary } from '../core/dictionary.js';
import {
  collectWarnings,
  DEFAULT_DEPS,
  placeOptionsOf,
  readProject,
  type ClientDeps,
  type PlacementOptions,
} from './project.js';
import { openProjectRegistry } from './project-registry.js';
import { dependentsOf, notADependency } from './project-names.js';
import { syncProject, type ProjectReport } from './sync-project.js';

export interface RemoveOptions extends PlacementOptions {
  /** Dependencies of granary.yaml to drop. */
  names: string[];
}

/** Remove dependencies; the other packages keep their locked versions. */
export async function remove(options: RemoveOptions, deps: ClientDeps = DEFAULT_DEPS): Promise<ProjectReport> {
  const started = performance.now();
  const { warnings, warn } = collectWarnings(options.warn);
  const project = await readProject(options);
  const names = [...new Set(options.names)];
  const unknown = names.filter((name) => !Object.hasOwn(project.requests, name));
  if (unknown.length > 0) throw notADependency(unknown, project, 'remove');

  const opened = await openProjectRegistry(project, options, deps, warn);
  const requests = dictionary(project.requests);
  for (const name of names) delete requests[name];
  const report = await syncProject(
    { requests, unlock: new Set() },
    { project, opened, place: placeOptionsOf(options), deps, warn, warnings, started },
  );
  // Still needed by another package: say why it stays (the report's warnings are this list).
  const installed = new Set(report.packages.map((p) => p.name));
  for (const name of names.filter((n) => installed.has(n))) {
    const needing = dependentsOf(project, name).filter((d) => installed.has(d));
    warn(`${name} is still installed: ${needing.length > 0 ? needing.join(', ') : 'another package'} needs it`);
  }
  return report;
}
