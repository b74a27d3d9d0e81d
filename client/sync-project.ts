/**
 * Bring a project in line with a set of requests: resolve them (preferring the lockfile's versions of
 * the packages not asked for afresh), place the packages, then write granary.yaml and granary.lock.
 * install, update and remove differ only in the requests and what they unlock.
 */
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { dictionary } from '../core/dictionary.js';
import { isPrerelease } from '../core/versions.js';
import { lockedOf, noteStatus, targetOf, type Target } from './install-target.js';
import {
  LOCKFILE_VERSION,
  lockedVersions,
  serializeLockfile,
  writeLockfile,
  type LockedPackage,
  type Lockfile,
} from './lockfile.js';
import { editManifest, writeManifest } from './manifest.js';
import { placePackages, type InstalledPackage, type Placed, type PlaceOptions } from './place-packages.js';
import type { ClientDeps, Project } from './project.js';
import type { OpenedRegistry } from './project-registry.js';
import type { Registry } from './types.js';

// Index files are small; reading many at once hides the round trips.
const INDEX_READS_AT_ONCE = 16;

/** A package whose version changed: `from` null when it is new, `to` null when it is gone. */
export interface PackageChange {
  name: string;
  from: string | null;
  to: string | null;
}

/** A dependency of granary.yaml whose range changed: `from` null when added, `to` null when removed. */
export interface RequestChange {
  name: string;
  from: string | null;
  to: string | null;
}

export interface ProjectReport {
  dir: string;
  lockfile: string;
  /** `written` (new or changed), `unchanged`, or `kept` (installed from it, never rewritten). */
  lockfileStatus: 'written' | 'unchanged' | 'kept';
  manifest: string;
  /** `written` (created or edited), `unchanged`, or `absent` (a lockfile-only project whose requests did not change). */
  manifestStatus: 'written' | 'unchanged' | 'absent';
  registry: string;
  snapshotVersion: number;
  packages: InstalledPackage[];
  /** Packages a previous install put in `dir` that are no longer wanted, now removed. */
  removed: string[];
  /** Versions that differ from the lockfile before. */
  changes: PackageChange[];
  /** Dependencies of granary.yaml that were added, removed or given another range. */
  requestChanges: RequestChange[];
  downloadedBytes: number;
  durationMs: number;
  warnings: string[];
}

export interface SyncPlan {
  /** What to resolve: name → range. */
  requests: Record<string, string>;
  /** Packages resolved afresh, their locked versions not preferred; `all` for every package. */
  unlock: ReadonlySet<string> | 'all';
  /** Requests given without a range: resolved as `*`, recorded as a caret of the version chosen. */
  caret?: ReadonlySet<string>;
}

export interface SyncContext {
  project: Project;
  opened: OpenedRegistry;
  place: PlaceOptions;
  deps: Pick<ClientDeps, 'resolve'>;
  warn: (message: string) => void;
  warnings: string[];
  started: number;
}

/** Resolve `plan`, place the packages, then write granary.yaml and granary.lock (each only when it changed). */
export async function syncProject(plan: SyncPlan, ctx: SyncContext): Promise<ProjectReport> {
  const { project, opened } = ctx;
  const { registry } = opened;
  const lock = project.lock;
  const locked = plan.unlock === 'all' ? new Map<string, string>() : lockedVersions(lock);
  if (plan.unlock !== 'all') for (const name of plan.unlock) locked.delete(name);
  prefetchLines(registry, [...Object.keys(plan.requests), ...Object.keys(lock?.packages ?? {})]);
  const resolution = await ctx.deps.resolve(
    registry,
    Object.entries(plan.requests).map(([name, range]) => ({ name, range })),
    { locked },
  );
  const locate = await registry.assets();
  const targets = [...resolution.packages.values()].map((line) => targetOf(line, registry, locate));
  for (const t of targets) noteStatus(t, lock?.packages[t.name]?.version === t.version, ctx.warn);

  const recorded = dictionary(plan.requests);
  for (const name of plan.caret ?? []) {
    const version = resolution.packages.get(name)!.version;
    // A caret of a prerelease would admit the later prereleases of that version too: record exactly what was chosen.
    recorded[name] = isPrerelease(version) ? version : `^${version}`;
  }
  const newLock: Lockfile = {
    lockfileVersion: LOCKFILE_VERSION,
    registry: opened.recorded,
    ...(registry.trustedKey === undefined ? {} : { publicKey: registry.trustedKey }),
    snapshotVersion: opened.snapshotVersion,
    requests: recorded,
    packages: Object.fromEntries(targets.map((t) => [t.name, lockedOf(t)])),
  };

  const placed = await placePackages(targets, registry, ctx.place);
  // The manifest first: killed in between, the next install sees the lockfile differ and resolves again.
  const manifest = await writeManifestFor(project, recorded);
  const lockfileStatus = await writeLockfileIfChanged(project.lockPath, newLock);
  return projectReport(ctx, placed, {
    lockfileStatus,
    manifestStatus: manifest.status,
    changes: packageChanges(lock, targets),
    requestChanges: manifest.changes,
  });
}

/** The report of a finished install, update or remove. */
export function projectReport(
  ctx: Pick<SyncContext, 'project' | 'opened' | 'place' | 'warnings' | 'started'>,
  placed: Placed,
  outcome: Pick<ProjectReport, 'lockfileStatus' | 'manifestStatus' | 'changes' | 'requestChanges'>,
): ProjectReport {
  return {
    dir: ctx.place.dir,
    lockfile: ctx.project.lockPath,
    lockfileStatus: outcome.lockfileStatus,
    manifest: ctx.project.manifestPath,
    manifestStatus: outcome.manifestStatus,
    registry: ctx.opened.spec,
    snapshotVersion: ctx.opened.snapshotVersion,
    packages: placed.packages,
    removed: placed.removed,
    changes: outcome.changes,
    requestChanges: outcome.requestChanges,
    downloadedBytes: placed.packages.filter((p) => p.status === 'downloaded').reduce((n, p) => n + p.size, 0),
    durationMs: Math.round(performance.now() - ctx.started),
    warnings: ctx.warnings,
  };
}

/**
 * Start reading the index files of packages the resolution will certainly need, a few at a time:
 * the registry keeps each read, so the resolver then finds them without a round trip each.
 */
function prefetchLines(registry: Registry, names: string[]): void {
  const limit = pLimit(INDEX_READS_AT_ONCE);
  for (const name of new Set(names)) void limit(() => registry.lines(name)).catch(() => undefined);
}

function packageChanges(lock: Lockfile | undefined, targets: Target[]): PackageChange[] {
  const before = lock?.packages ?? dictionary<LockedPackage>();
  const after = new Map(targets.map((t) => [t.name, t.version]));
  const names = [...new Set([...Object.keys(before), ...after.keys()])].sort();
  const changes: PackageChange[] = [];
  for (const name of names) {
    const from = before[name]?.version ?? null;
    const to = after.get(name) ?? null;
    if (from !== to) changes.push({ name, from, to });
  }
  return changes;
}

/**
 * Make granary.yaml's dependencies `requests`, editing only what changed. A project without one gets
 * one, unless it is a lockfile-only project whose requests stayed the same.
 */
async function writeManifestFor(
  project: Project,
  requests: Record<string, string>,
): Promise<{ status: ProjectReport['manifestStatus']; changes: RequestChange[] }> {
  const before = project.requests;
  const changes: RequestChange[] = [];
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(requests)])].sort()) {
    const from = Object.hasOwn(before, name) ? before[name]! : null;
    const to = Object.hasOwn(requests, name) ? requests[name]! : null;
    if (from !== to) changes.push({ name, from, to });
  }
  if (changes.length === 0) return { status: project.manifest ? 'unchanged' : 'absent', changes };
  const set: Record<string, string> = {};
  const remove: string[] = [];
  // A new manifest lists every request; an existing one changes only where it differs.
  for (const name of Object.keys(requests).sort())
    if (!project.manifest || project.manifest.requests[name] !== requests[name]) set[name] = requests[name]!;
  for (const c of changes) if (c.to === null) remove.push(c.name);
  await writeManifest(project.manifestPath, editManifest(project.manifest?.text, { set, remove }));
  return { status: 'written', changes };
}

async function writeLockfileIfChanged(path: string, lock: Lockfile): Promise<'written' | 'unchanged'> {
  const before = await readFile(path, 'utf8').catch(() => undefined);
  if (before === serializeLockfile(lock)) return 'unchanged';
  await writeLockfile(path, lock);
  return 'written';
}
