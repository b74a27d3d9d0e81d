/**
 * The PR gate again at merge time: every merged change on main is judged by the same rules against the
 * registry as the index knows it just before that change (its true base), with its pull request's author
 * and approvers when they are known. Two PRs that each passed against an older base cannot together
 * publish what neither would have alone.
 */
import type { Problem } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import { kindOfMode } from '../../core/git/ls-tree.js';
import type { FileChange } from '../git/diff-tree.js';
import { addedAt, type MainCommit } from '../git/history.js';
import type { Git } from '../git/repository.js';
import { RollingTree } from '../git/tree.js';
import { recordedRefusals } from '../index/index-branch.js';
import type { IndexState } from '../index/index-state.js';
import type { Refusal } from '../index/replay.js';
import { classifyPath, definitionPath, REGISTRY_PATHS } from '../registry/layout.js';
import { readRegistrySettings } from '../registry/read.js';
import type { ChangedFile } from '../registry/types.js';
import type { PullRequestContext } from '../validate/types.js';
import { validateChange } from '../validate/validate-change.js';

/** Where the author and approvers of a merged change come from. */
export interface PullRequestRecords {
  /**
   * The pull request `change` merged, as its author and the approvals of its final head; undefined when
   * none is known (a direct push). May throw a temporary error (the run stops and is retried).
   */
  contextFor(change: MainCommit, config: RegistryConfig): Promise<Omit<PullRequestContext, 'now'> | undefined>;
  /** The records describe one change only (given by hand): curating several at once with them is refused. */
  readonly oneChange?: boolean;
}

/** The same author and approvers for every change (the CLI's `--author`/`--approved-by`, for one merge). */
export function fixedRecords(context: Omit<PullRequestContext, 'now'>): PullRequestRecords {
  return { contextFor: async () => context, oneChange: true };
}

export interface MergeGate {
  /** The gate's refusals of `change` (its diff from the first parent is `changes`); empty when it passes. */
  judge(change: MainCommit, changes: readonly FileChange[]): Promise<Refusal[]>;
  /** Who opened and approved the pull request of the change judged last, if it was `change`. */
  madeBy(change: MainCommit): { by: string; approvedBy: string[] } | undefined;
  /** Move the gate's registry past a change, with only the files the index took from it. */
  advance(changes: readonly FileChange[]): void;
}

/**
 * A gate positioned at `start` (the commit before the first change to judge; undefined: before the root),
 * without the definitions earlier runs refused (their index commits list them) that `state` does not have:
 * such a definition is on main but counts for nothing (no owners, no versions to depend on, and editing it
 * is adding it again).
 */
export async function createMergeGate(
  git: Git,
  start: string | undefined,
  state: IndexState,
  records: PullRequestRecords | undefined,
  /** The index branch's tip, whose commit messages name what earlier runs refused. */
  indexTip?: string,
): Promise<MergeGate> {
  const tree = await RollingTree.at(git, start, REGISTRY_PATHS);
  if (start !== undefined && indexTip !== undefined) {
    // What earlier runs refused is on main but not in the index: their index commits name each such file.
    const refusedEarlier: FileChange[] = [];
    const recorded = new Set((await recordedRefusals(git, indexTip)).map((r) => r.file));
    for (const path of recorded) {
      const info = classifyPath(path);
      if (info.kind !== 'definition') continue;
      const line = await state.line(info.name, info.version);
      if (line === undefined || line.unpublished !== undefined)
        refusedEarlier.push({ path, status: 'deleted', mode: '100644', blob: '', oldBlob: undefined });
    }
    tree.apply(refusedEarlier);
  }
  let lastJudged: { id: string; by: string; approvedBy: string[] } | undefined;
  return {
    madeBy(change) {
      return lastJudged?.id === change.id ? { by: lastJudged.by, approvedBy: lastJudged.approvedBy } : undefined;
    },
    async judge(change, changes) {
      // The tree moves only in `advance`, after the change is judged: it is the base as it stands.
      const base = tree;
      const settings = await readRegistrySettings(base);
      // Setting up the registry (the commit that adds registry.yaml) has nothing to be judged against.
      if (!settings.present) return [];
      const judged = changesAgainst(base, changes);
      if (judged.length === 0) return [];
      const head = base.snapshot();
      head.apply(changes);
      const context = records === undefined ? undefined : await records.contextFor(change, settings.config);
      lastJudged =
        context === undefined ? undefined : { id: change.id, by: context.author, approvedBy: context.approvers };
      const report = await validateChange({
        base,
        head,
        changes: judged,
        // A version number is used up when the index has it unpublished (one that was refused and deleted is not).
        history: { deletedDefinitions: () => unpublishedAmong(state, changes) },
        publishedDependencies: async (name, version) => {
          const line = await state.line(name, version);
          return line === undefined || line.unpublished !== undefined ? undefined : (line.dependencies ?? {});
        },
        pr:
          context === undefined
            ? undefined
            : {
                ...context,
                now: new Date(change.time),
                publishedAt: async (name, version) =>
                  change.parent === undefined ? undefined : addedAt(git, change.parent, definitionPath(name, version)),
              },
      });
      const errors = report.problems.filter((p) => p.severity === 'error');
      return errors.length === 0 ? [] : refusalsOf(change, judged, errors, context);
    },
    advance(changes) {
      tree.apply(changes);
    },
  };
}

/** The definition paths of `changes` whose version the index has unpublished. */
async function unpublishedAmong(state: IndexState, changes: readonly FileChange[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const c of changes) {
    const info = classifyPath(c.path);
    if (info.kind === 'definition' && (await state.line(info.name, info.version))?.unpublished !== undefined)
      out.add(c.path);
  }
  return out;
}

/** The change as the gate's base sees it: editing a file the index never took is adding it; deleting one is nothing. */
function changesAgainst(base: RollingTree, changes: readonly FileChange[]): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const c of changes) {
    const kind = kindOfMode(c.mode);
    const entryKind = kind === 'other' ? 'file' : kind;
    if (c.status === 'deleted') {
      if (base.has(c.path)) out.push({ path: c.path, status: 'deleted', kind: entryKind });
    } else out.push({ path: c.path, status: base.has(c.path) ? 'modified' : 'added', kind: entryKind });
  }
  return out;
}

/** A merged change is published whole or not at all: every registry file of it is refused, each saying why. */
function refusalsOf(
  change: MainCommit,
  files: readonly ChangedFile[],
  errors: readonly Problem[],
  context: Omit<PullRequestContext, 'now'> | undefined,
): Refusal[] {
  const where = (p: Problem) => `${p.file}:${p.line}:${p.col}`;
  const byFile = new Map<string, Problem[]>();
  for (const p of errors) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const first = errors[0]!;
  const who =
    context === undefined
      ? 'no pull request record'
      : `pull request ${context.pullRequest === undefined ? '' : `#${context.pullRequest} `}by ${context.author}`;
  return files.map((file) => {
    const own = byFile.get(file.path);
    const message =
      own !== undefined
        ? own.map((p) => `${p.message} [${p.rule}] (at ${where(p)})`).join('; ')
        : `refused with the rest of its merge: ${first.message} [${first.rule}] (at ${where(first)})`;
    return {
      commit: change.id,
      file: file.path,
      message: `${message}; judged at merge time against main before ${change.id.slice(0, 12)} (${who}): nothing of this change is published`,
    };
  });
}
