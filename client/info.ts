/** Everything the index says about one package: summary, versions with their markers, revisions and history. */
import { InputError, shown } from '../core/errors.js';
import { isPrerelease } from '../core/versions.js';
import type { Dependencies, HistoryEntry, IndexLine, PackageSummary } from '../schema/types.js';
import { didYouMean } from './did-you-mean.js';
import type { Registry } from './types.js';

export interface VersionInfo {
  version: string;
  revision: number;
  publishedAt: string;
  dependencies: Dependencies;
  yanked: boolean;
  deprecated: string | undefined;
  unpublished: { at: string; reason: string } | undefined;
  history: HistoryEntry[];
}

export interface PackageInfo {
  name: string;
  description: string | undefined;
  license: string | undefined;
  homepage: string | undefined;
  keywords: string[];
  owners: string[];
  deprecated: string | undefined;
  /** Highest version that is not a prerelease, yanked or unpublished (null when none). */
  latest: string | null;
  /** Dependencies of `latest` (its latest revision). */
  dependencies: Dependencies;
  versions: VersionInfo[];
}

/** The highest version that is not a prerelease, yanked or unpublished. */
export function latestVersion(lines: IndexLine[]): IndexLine | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (!l.yanked && !l.unpublished && !isPrerelease(l.version)) return l;
  }
  return undefined;
}

/** Look a package up; an unknown name is an InputError suggesting similar names. */
export async function packageInfo(registry: Registry, name: string): Promise<PackageInfo> {
  const [lines, packages] = await Promise.all([registry.lines(name), registry.packages()]);
  const summary: PackageSummary | undefined = packages.packages.find((p) => p.name === name);
  if (lines.length === 0) {
    throw new InputError(`there is no package named ${shown(name)} in this registry`, {
      where: registry.source.description,
      hint:
        didYouMean(
          name,
          packages.packages.map((p) => p.name),
        ) ?? 'search for it with `granary search`',
    });
  }
  const latest = latestVersion(lines);
  const newestFirst = [...lines].reverse();
  return {
    name,
    description: summary?.description,
    license: summary?.license ?? latest?.license ?? newestFirst[0]?.license,
    homepage: summary?.homepage,
    keywords: summary?.keywords ?? [],
    owners: summary?.owners ?? [],
    deprecated: summary?.deprecated,
    latest: latest?.version ?? null,
    dependencies: latest?.dependencies ?? {},
    versions: newestFirst.map((l) => ({
      version: l.version,
      revision: l.revision,
      publishedAt: l.publishedAt,
      dependencies: l.dependencies,
      yanked: l.yanked === true,
      deprecated: l.deprecated,
      unpublished: l.unpublished,
      history: l.history ?? [],
    })),
  };
}
