/**
 * What a curate run will ask of its stores, before it runs: versions, releases, uploads, GitHub requests,
 * and how long the content-creating ones take at the registry's pace (`limits.githubWrites*`), counted
 * by the same pacer the run waits on.
 */
import type { RegistryConfig } from '../../core/registry-config.js';
import { formatWait, pacedDuration } from '../github/pacer.js';
import type { CurateReport } from './types.js';

/** What a run would do, counted, and how long it would take at the registry's pace. */
export interface CurationPlan {
  versions: number;
  unpublishes: number;
  /** Packages published for the first time. */
  newPackages: number;
  /** Per `github:` store, in store order. */
  github: Array<{
    store: string;
    releases: number;
    uploads: number;
    /** Content-creating requests: releases created and published, uploads, deletions. */
    writes: number;
    /** About how many reads go with them (release lookups, asset listings). */
    reads: number;
  }>;
  /** How long the content-creating requests take at the registry's pace, all GitHub stores together (ms). */
  durationMs: number;
  /** `fs:` stores: files written, no requests. */
  files: number;
  /** registry.yaml `releases` and `limits.githubWrites*` the plan assumes. */
  releases: RegistryConfig['releases'];
  rates: { perMinute: number; perHour: number };
}

/** The plan for `report` (a `plan: true` run) publishing to the stores `specs` names. */
export async function curationPlan(
  report: CurateReport,
  specs: string[],
  registry: Pick<RegistryConfig, 'releases' | 'limits' | 'sidecars'>,
): Promise<CurationPlan> {
  const versions = report.published.length;
  const unpublishes = report.unpublished.length;
  const newPackages = report.firstPublications?.length ?? 0;
  const touched = new Set([...report.published, ...report.unpublished].map((p) => p.name)).size;
  const perVersion = registry.releases === 'per-version';
  // Each version: its tarball and sidecar. Per package: a new package's release is created, then published;
  // per version: every version's is. An unpublish deletes two assets, or a version's whole release.
  const releases = perVersion ? versions : newPackages;
  const uploads = (registry.sidecars ? 2 : 1) * versions;
  const writes = uploads + 2 * releases + (perVersion ? unpublishes : (registry.sidecars ? 2 : 1) * unpublishes);
  // A release looked up by tag and its assets listed, per package (per version); the drafts listed once.
  const lookups = perVersion ? versions + unpublishes : touched;
  const reads = 2 * lookups + 1 + Math.ceil(releases / 100);
  const github = specs
    .filter((s) => s.startsWith('github:'))
    .map((store) => ({ store, releases, uploads, writes, reads }));
  const rates = { perMinute: registry.limits.githubWritesPerMinute, perHour: registry.limits.githubWritesPerHour };
  const durationMs = await pacedDuration(
    github.reduce((n, g) => n + g.writes, 0),
    rates,
  );
  const files = specs.filter((s) => s.startsWith('fs:')).length * uploads;
  return { versions, unpublishes, newPackages, github, durationMs, files, releases: registry.releases, rates };
}

/** The plan in a few lines. */
export function describePlan(plan: CurationPlan): string {
  const out = [
    `plan: ${plan.versions} version(s) to publish (${plan.newPackages} new package(s)), ${plan.unpublishes} to unpublish`,
  ];
  for (const g of plan.github)
    out.push(
      `  ${g.store} (${plan.releases}): ${g.releases} release(s), ${g.uploads} upload(s); ${g.writes} content-creating request(s) and about ${g.reads} other(s)`,
    );
  if (plan.files > 0) out.push(`  fs: stores: ${plan.files} file(s) written`);
  if (plan.github.length > 0)
    out.push(
      `  at ${plan.rates.perMinute} a minute and ${plan.rates.perHour} an hour (registry.yaml limits.githubWrites*), that takes about ${formatWait(plan.durationMs)}, plus packing; an interrupted run resumes where it stopped`,
    );
  return out.join('\n');
}
