/** How an index line is born, revised and unpublished: pure rules shared by curate and `index build`. */
import type { Dependencies, HistoryEntry, IndexLine, Override, PackageDefinition } from '../../schema/types.js';

/** What the stores recorded for a version's tarball. */
export interface Artifact {
  sha256: string;
  integrity: string;
  size: number;
  contentHash?: string | undefined;
  /** The source commit the ref resolved to. */
  commit: string;
  /** `<tag>/<file>` relative to the asset base. */
  asset: string;
}

/** The values an override can change; the rest of a line is fixed at publication. */
export interface RevisableValues {
  dependencies: Dependencies;
  yanked?: boolean | undefined;
  deprecated?: string | undefined;
}

/** The values a definition has with `override` applied (an override's `dependencies` replaces the whole map). */
export function effectiveValues(
  definition: Pick<PackageDefinition, 'dependencies'>,
  override: Override | undefined,
): RevisableValues {
  return {
    dependencies: { ...(override?.dependencies ?? definition.dependencies ?? {}) },
    yanked: override?.yanked === true ? true : undefined,
    deprecated: override?.deprecated,
  };
}

/** Revision 1 of a version's line, with the override present at publication baked in. */
export function firstLine(
  definition: PackageDefinition,
  override: Override | undefined,
  artifact: Artifact,
  publishedAt: string,
): IndexLine {
  const values = effectiveValues(definition, override);
  return withValues(
    {
      name: definition.name,
      version: definition.version,
      dependencies: {},
      license: definition.license,
      sha256: artifact.sha256,
      integrity: artifact.integrity,
      size: artifact.size,
      contentHash: artifact.contentHash,
      asset: artifact.asset,
      commit: artifact.commit,
      ref: definition.ref,
      publishedAt,
      revision: 1,
    },
    values,
  );
}

function withValues(line: IndexLine, values: RevisableValues): IndexLine {
  const next: IndexLine = { ...line, dependencies: values.dependencies };
  delete next.yanked;
  delete next.deprecated;
  if (values.yanked) next.yanked = true;
  if (values.deprecated !== undefined) next.deprecated = values.deprecated;
  return next;
}

function sameValues(line: IndexLine, values: RevisableValues): boolean {
  const a = line.dependencies;
  const b = values.dependencies;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => a[k] === b[k]) &&
    Boolean(line.yanked) === Boolean(values.yanked) &&
    line.deprecated === values.deprecated
  );
}

/**
 * The next revision of `line` carrying `values`, or undefined when nothing would change.
 * The superseded values go to `history` with the reason they were replaced, when, and by whose pull request.
 */
export function reviseLine(
  line: IndexLine,
  values: RevisableValues,
  reason: string,
  at: string,
  who?: { by: string; approvedBy: string[] },
): IndexLine | undefined {
  if (sameValues(line, values)) return undefined;
  const entry: HistoryEntry = { revision: line.revision, dependencies: line.dependencies, reason, at };
  if (who !== undefined) {
    entry.by = who.by;
    if (who.approvedBy.length > 0) entry.approvedBy = [...who.approvedBy].sort();
  }
  if (line.yanked) entry.yanked = true;
  if (line.deprecated !== undefined) entry.deprecated = line.deprecated;
  return withValues({ ...line, revision: line.revision + 1, history: [...(line.history ?? []), entry] }, values);
}

/** The line of an unpublished version: kept forever so the version number is never reused. */
export function unpublishLine(line: IndexLine, reason: string, at: string): IndexLine {
  return { ...line, unpublished: { at, reason } };
}
