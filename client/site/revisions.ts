/**
 * A version's revisions as changes a person can read: when, who, why, and which bounds (and yanked or
 * deprecated marks) went from what to what. An index line keeps the values each earlier revision had
 * in `history`, with the reason and time it was replaced (docs/curation.md).
 */
import type { Dependencies, IndexLine } from '../../schema/types.js';

/** One dependency whose range changed: `from` undefined when it was added, `to` undefined when removed. */
export interface BoundChange {
  name: string;
  from?: string;
  to?: string;
}

export interface RevisionChange {
  /** The revision this change made. */
  revision: number;
  at: string;
  reason: string | undefined;
  /** Who opened the pull request that made it, and who approved it (when the curator knew). */
  by?: string;
  approvedBy?: string[];
  dependencies: BoundChange[];
  yanked?: { from: boolean; to: boolean };
  deprecated?: { from: string | undefined; to: string | undefined };
}

interface Values {
  revision: number;
  dependencies: Dependencies;
  yanked: boolean;
  deprecated: string | undefined;
}

/** The changes of `a` → `b`'s dependencies, by name. */
export function boundChanges(a: Dependencies, b: Dependencies): BoundChange[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changes: BoundChange[] = [];
  for (const name of names) {
    const from = Object.hasOwn(a, name) ? a[name] : undefined;
    const to = Object.hasOwn(b, name) ? b[name] : undefined;
    if (from !== to)
      changes.push({ name, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  }
  return changes;
}

/** Every revision after the first of `line`, oldest first. */
export function revisionChanges(line: IndexLine): RevisionChange[] {
  const history = line.history ?? [];
  const states: Values[] = [
    ...history.map((h) => ({
      revision: h.revision,
      dependencies: h.dependencies,
      yanked: h.yanked === true,
      deprecated: h.deprecated,
    })),
    {
      revision: line.revision,
      dependencies: line.dependencies,
      yanked: line.yanked === true,
      deprecated: line.deprecated,
    },
  ];
  return history.map((entry, i) => {
    const before = states[i]!;
    const after = states[i + 1]!;
    const change: RevisionChange = {
      revision: after.revision,
      at: entry.at,
      reason: entry.reason,
      dependencies: boundChanges(before.dependencies, after.dependencies),
    };
    if (entry.by !== undefined) change.by = entry.by;
    if (entry.approvedBy !== undefined && entry.approvedBy.length > 0) change.approvedBy = entry.approvedBy;
    if (before.yanked !== after.yanked) change.yanked = { from: before.yanked, to: after.yanked };
    if (before.deprecated !== after.deprecated) change.deprecated = { from: before.deprecated, to: after.deprecated };
    return change;
  });
}
