/**
 * `granary install`: add packages to granary.yaml and install them, or install what the project asks
 * for (from the lockfile when it still matches granary.yaml). Resolve, download and verify in
 * parallel, extract safely, write granary.yaml and granary.lock.
 */
import pLimit from 'p-limit';
import { dictionary } from '../core/dictionary.js';
import { IntegrityError, ResolutionError, UsageError } from '../core/errors.js';
import { normalizeRange } from '../core/ranges.js';
import { noteStatus, type Target } from './install-target.js';
import { LockfileMismatchError, lockedVersions, type Lockfile } from './lockfile.js';
import { placePackages } from './place-packages.js';
import {
  collectWarnings,
  DEFAULT_DEPS,
  placeOptionsOf,
  readProject,
  requestDifferences,
  type ClientDeps,
  type PlacementOptions,
} from './project.js';
import { openProjectRegistry } from './project-registry.js';
import { projectReport, syncProject, type ProjectReport, type SyncContext } from './sync-project.js';
import type { Registry, Request } from './types.js';

export { DEFAULT_DEPS, type ClientDeps, type PlacementOptions } from './project.js';
export { relocateSpec } from './project-registry.js';
export { DEFAULT_MAX_TARBALL_BYTES, type InstalledPackage } from './place-packages.js';
export type { PackageChange, RequestChange } from './sync-project.js';

// Index files are small; reading many at once hides the round trips.
const INDEX_READS_AT_ONCE = 16;

export interface InstallOptions extends PlacementOptions {
  /** `name[@range]` requests, added to granary.yaml; none means "install what the project asks for". */
  specs?: string[];
  /** Install exactly the lockfile; fail if granary.yaml, the SPECs or the index no longer match it. */
  frozen?: boolean;
}

export type InstallReport = ProjectReport;

/** Install packages into `dir` and keep granary.yaml and the lockfile in step; nothing in `dir` changes unless every package downloaded, verified and extracted. */
export async function install(options: InstallOptions, deps: ClientDeps = DEFAULT_DEPS): Promise<InstallReport> {
  const started = performance.now();
  const { warnings, warn } = collectWarnings(options.warn);
  const project = await readProject(options);
  const { lock, lockPath } = project;
  const specs = options.specs ?? [];
  if (specs.length === 0 && !lock && !project.manifest) {
    throw new UsageError(`nothing to install: no SPEC given, no ${project.manifestShown} and no lockfile`, {
      where: lockPath,
      hint: 'run `granary install NAME[@RANGE]...`, or pass --lock with an existing lockfile',
    });
  }
  if (options.frozen && !lock)
    throw new UsageError('--frozen needs a lockfile, and there is none', {
      where: lockPath,
      hint: 'run `granary install` once without --frozen and commit the lockfile',
    });

  const opened = await openProjectRegistry(project, options, deps, warn, Boolean(options.frozen));
  const ctx: SyncContext = { project, opened, place: placeOptionsOf(options), deps, warn, warnings, started };
  const unchangedRequests =
    lock !== undefined && requestDifferences(project.requests, lock.requests, project.manifestShown).length === 0;
  if (options.frozen || (specs.length === 0 && unchangedRequests)) {
    const requests = specs.map((s) => readInstallSpec(s, deps.parseSpec));
    const differences =
      options.frozen && project.manifest
        ? requestDifferences(project.manifest.requests, lock!.requests, project.manifestShown)
        : [];
    const targets = await lockfileTargets(lock!, requests, opened.registry, deps, {
      frozen: Boolean(options.frozen),
      lockPath,
      warn,
      differences,
    });
    const placed = await placePackages(targets, opened.registry, ctx.place);
    return projectReport(ctx, placed, {
      lockfileStatus: 'kept',
      manifestStatus: project.manifest ? 'unchanged' : 'absent',
      changes: [],
      requestChanges: [],
    });
  }

  // Each package named is resolved afresh within its new request; the others keep their locked versions.
  const requests = dictionary(project.requests);
  const unlock = new Set<string>();
  const caret = new Set<string>();
  for (const spec of specs) {
    const { name, range } = readInstallSpec(spec, deps.parseSpec);
    requests[name] = range ?? '*';
    unlock.add(name);
    if (range === undefined) caret.add(name);
    else caret.delete(name);
  }
  return syncProject({ requests, unlock, caret }, ctx);
}

/**
 * A SPEC of `install`: `name` or `name@latest` (no range: the newest version, recorded as a caret of it),
 * or `name@range` (recorded as written, in normal form).
 */
export function readInstallSpec(spec: string, parse: (spec: string) => Request): { name: string; range?: string } {
  const text = spec.trim();
  const latest = /^(.+)@latest$/.exec(text);
  const request = parse(latest ? latest[1]! : text);
  return latest || request.name === text ? { name: request.name } : request;
}

/** The packages of the lockfile, checked against the index (and, with --frozen, against a fresh resolution). */
async function lockfileTargets(
  lock: Lockfile,
  requests: Array<{ name: string; range?: string }>,
  registry: Registry,
  deps: Pick<ClientDeps, 'resolve'>,
  context: { frozen: boolean; lockPath: string; warn: (m: string) => void; differences: string[] },
): Promise<Target[]> {
  const { frozen, lockPath, warn } = context;
  const differences = [...context.differences];
  for (const r of requests) {
    const locked = lock.requests[r.name];
    if (locked === undefined)
      differences.push(`${r.name}${r.range === undefined ? '' : `@${r.range}`} is requested but not in the lockfile`);
    // A name without a range asks for no range in particular: the lockfile's is fine.
    else if (r.range !== undefined && (normalizeRange(locked) ?? locked) !== r.range)
      differences.push(`${r.name} is requested as ${r.range}, the lockfile has ${locked}`);
  }
  const targets: Target[] = [];
  const limit = pLimit(INDEX_READS_AT_ONCE);
  const entries = Object.entries(lock.packages);
  const indexLines = await Promise.all(entries.map(([name]) => limit(() => registry.lines(name))));
  for (const [i, [name, locked]] of entries.entries()) {
    const label = `${name}@${locked.version}`;
    const line = indexLines[i]!.find((l) => l.version === locked.version);
    if (!line) {
      if (frozen) differences.push(`${label} is in the lockfile but not in the index`);
      else warn(`${label} is no longer in the index; installing it from the lockfile`);
    } else if (line.sha256 !== locked.sha256 || line.size !== locked.size) {
      const message = `${label}: the index records sha256 ${line.sha256} (${line.size} bytes), the lockfile ${locked.sha256} (${locked.size} bytes)`;
      if (frozen) differences.push(message);
      else
        throw new IntegrityError(message, {
          where: lockPath,
          hint: 'published versions never change: the index or the lockfile was altered; find out which before installing',
        });
    } else noteStatus({ ...locked, name, line }, true, warn);
    targets.push({ ...locked, name, line });
  }
  if (frozen) {
    try {
      const resolution = await deps.resolve(
        registry,
        Object.entries(lock.requests).map(([name, range]) => ({ name, range })),
        { locked: lockedVersions(lock) },
      );
      for (const [name, line] of resolution.packages) {
        const locked = lock.packages[name];
        if (!locked) differences.push(`${name}@${line.version} is needed now but not in the lockfile`);
        else if (locked.version !== line.version)
          differences.push(`${name}: the lockfile has ${locked.version}, the index now resolves ${line.version}`);
      }
      for (const [name, locked] of Object.entries(lock.packages)) {
        if (!resolution.packages.has(name))
          differences.push(`${name}@${locked.version} is in the lockfile but no longer needed`);
      }
    } catch (error) {
      if (!(error instanceof ResolutionError)) throw error;
      differences.push(`the lockfile's requests no longer resolve: ${error.message}`);
    }
    if (differences.length > 0) throw new LockfileMismatchError([...new Set(differences)], lockPath);
  }
  return targets;
}
