/**
 * `granary update [NAME...]`: resolve again within granary.yaml's ranges, taking the newest versions of
 * the packages named (of every package when none is), and install the result. `latest` first moves
 * the ranges of granary.yaml to a caret of each package's newest version, across majors.
 */
import { dictionary } from '../core/dictionary.js';
import { UsageError } from '../core/errors.js';
import { compareVersions } from '../core/versions.js';
import { latestVersion } from './info.js';
import {
  collectWarnings,
  DEFAULT_DEPS,
  placeOptionsOf,
  readProject,
  type ClientDeps,
  type PlacementOptions,
} from './project.js';
import { openProjectRegistry } from './project-registry.js';
import { notADependency } from './project-names.js';
import { syncProject, type ProjectReport } from './sync-project.js';

export interface UpdateOptions extends PlacementOptions {
  /** The packages to update (dependencies of granary.yaml or packages they need); none: every package. */
  names?: string[];
  /** Move granary.yaml's ranges to a caret of the newest version (of the names given, else of every dependency). */
  latest?: boolean;
}

/** Update the project's packages within their ranges (or, with `latest`, to the newest versions) and install them. */
export async function update(options: UpdateOptions, deps: ClientDeps = DEFAULT_DEPS): Promise<ProjectReport> {
  const started = performance.now();
  const { warnings, warn } = collectWarnings(options.warn);
  const project = await readProject(options);
  if (!project.manifest && !project.lock)
    throw new UsageError(`nothing to update: there is no ${project.manifestShown} and no lockfile`, {
      where: project.manifestPath,
      hint: 'add dependencies with `granary install NAME`',
    });
  const names = [...new Set(options.names ?? [])];
  const known = [...Object.keys(project.requests), ...Object.keys(project.lock?.packages ?? {})];
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw notADependency(unknown, project, 'update');

  const opened = await openProjectRegistry(project, options, deps, warn);
  const requests = dictionary(project.requests);
  if (options.latest) {
    for (const name of names.length > 0 ? names : Object.keys(requests)) {
      if (!Object.hasOwn(requests, name)) {
        warn(`${name} is not a dependency in ${project.manifestShown}: --latest moves only the ranges there`);
        continue;
      }
      const newest = latestVersion(await opened.registry.lines(name));
      const locked = project.lock?.packages[name]?.version;
      // Never a step back: a locked prerelease (or a version since yanked) newer than every usable one stays.
      if (!newest || (locked !== undefined && compareVersions(newest.version, locked) < 0)) continue;
      requests[name] = `^${newest.version}`;
    }
  }
  return syncProject(
    { requests, unlock: names.length > 0 ? new Set(names) : 'all' },
    { project, opened, place: placeOptionsOf(options), deps, warn, warnings, started },
  );
}
