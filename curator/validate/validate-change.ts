/** The PR gate: one change (base → head) judged as a pull request by its author and approvers. */

import { dependencyProblems } from './dependency-rules.js';
import { findCycle, type VersionNode } from './dependency-graph.js';
import { firstChangedLine, IMMUTABLE_MESSAGE } from './immutable-rule.js';
import { sameLocation, sameLogins } from './location-compare.js';
import { branchNameError, reservedError, similarError } from './name-rules.js';
import { unsolvable, viewRegistry } from './solvability.js';
import { impactOf } from './impact.js';
import { firstVersionError, skippedVersionError, upperBoundError } from './version-rules.js';
import { silentProgress } from '../../core/progress.js';
import { isPrerelease } from '../../core/versions.js';
import type { Dependencies } from '../../schema/types.js';
import { classifyPath, definitionPath, displayPath } from '../registry/layout.js';
import { ProblemList, START } from '../registry/problem-list.js';
import { readRegistrySettings } from '../registry/read.js';
import type { ChangedFile } from '../registry/types.js';
import { RegistryView } from './registry-view.js';
import { rolesFor, type Roles } from './roles.js';
import type { ChangeInput, Operation, ValidationReport } from './types.js';

interface Target {
  change: ChangedFile;
  file: string;
  name: string;
  version: string;
}

interface Context {
  input: ChangeInput;
  roles: Roles;
  base: RegistryView;
  head: RegistryView;
  problems: ProblemList;
  operations: Operation[];
  /** Rules waived for a maintainer's new packages (a bulk import): rule → files, said once at the end. */
  waived: Map<string, string[]>;
  /** Versions whose dependencies changed: checked for cycles once everything else is known. */
  cycleChecks: Array<{
    target: Target;
    node: VersionNode;
    locate: (path: Array<string | number>) => { line: number; col: number };
  }>;
}

const ENTRY_KIND_RULE = { symlink: 'symlink', submodule: 'submodule' } as const;

/** Judge one pull request; never throws on hostile content (only on a broken tree reader). */
export async function validateChange(input: ChangeInput): Promise<ValidationReport> {
  const problems = new ProblemList();
  const settings = await readRegistrySettings(input.base);
  const config = settings.config;
  const roles = rolesFor(config, input.pr);
  const touched = new Set(
    input.changes.flatMap((c) => {
      const info = classifyPath(c.path);
      return info.kind === 'definition' || info.kind === 'override' ? [`${info.name}@${info.version}`] : [];
    }),
  );
  const known = input.publishedDependencies;
  const [base, head] = await Promise.all([
    RegistryView.open(input.base, config),
    RegistryView.open(
      input.head,
      config,
      known === undefined
        ? undefined
        : async (name, version) => (touched.has(`${name}@${version}`) ? undefined : known(name, version)),
    ),
  ]);
  const ctx: Context = { input, roles, base, head, problems, operations: [], waived: new Map(), cycleChecks: [] };

  const added = new Map<string, Target[]>();
  const packages = new Map<string, string>();
  let checked = 0;
  for (const change of input.changes) {
    const file = displayPath(change.path);
    const info = classifyPath(change.path);
    if (change.status !== 'deleted' && change.kind !== 'file') {
      problems.error(
        file,
        START,
        ENTRY_KIND_RULE[change.kind],
        `${change.kind === 'symlink' ? 'symbolic links' : 'submodules'} are not allowed in the registry repository`,
      );
      continue;
    }
    if (info.kind === 'outside' || info.kind === 'registry') {
      await checkOutside(ctx, change, file, info.kind === 'registry');
      continue;
    }
    if (info.kind === 'placeholder') {
      // It only keeps an empty folder in git; with content it would be a way past every other rule.
      if (change.status !== 'deleted' && ((await input.head.read(change.path))?.length ?? 0) > 0)
        problems.error(
          file,
          START,
          'placeholder-not-empty',
          `${file} only keeps an empty folder in git: it must be empty`,
        );
      continue;
    }
    if (info.kind === 'misplaced') {
      if (change.status !== 'deleted') problems.error(file, START, info.rule, info.message);
      continue;
    }
    if (!packages.has(info.name)) packages.set(info.name, file);
    checked++;
    const target: Target = { change, file, name: info.name, version: info.version };
    if (info.kind === 'override') await checkOverride(ctx, target);
    else if (change.status === 'modified' && (await isPublished(ctx, info.name, info.version)))
      problems.error(
        file,
        firstChangedLine(await input.base.read(change.path), await input.head.read(change.path)),
        'published-immutable',
        IMMUTABLE_MESSAGE,
      );
    // Deleting is judged as an unpublish even when the index does not have the version (yet): it lags main.
    else if (change.status === 'deleted') await checkUnpublish(ctx, target, config.unpublishWindowHours);
    else added.set(info.name, [...(added.get(info.name) ?? []), target]);
  }

  const limit = config.limits.maxPackagesPerPr;
  if (packages.size > limit && !roles.authorIsMaintainer) {
    const file = [...packages.values()][limit]!;
    problems.error(
      file,
      START,
      'too-many-packages',
      `this pull request changes ${packages.size} packages; at most ${limit} per pull request (limits.maxPackagesPerPr): split it`,
    );
  }

  const deleted = input.history && added.size > 0 ? await input.history.deletedDefinitions() : new Set<string>();
  const newNames = [...added.keys()].filter((name) => base.versions(name).length === 0);
  for (const [name, targets] of added) {
    targets.sort((a, b) => head.versions(name).indexOf(a.version) - head.versions(name).indexOf(b.version));
    await checkAdded(ctx, name, targets, deleted, newNames);
  }

  for (const { target, node, locate } of ctx.cycleChecks) {
    if (problems.hasErrors(target.file)) continue;
    const cycle = await findCycle(head, node);
    if (cycle)
      problems.error(
        target.file,
        locate(['dependencies', cycle.dependency]),
        'dependency-cycle',
        `dependency cycle: ${cycle.path.join(' → ')}`,
      );
  }

  // Whole-graph solvability, once nothing simpler is wrong with the file: the client's resolver, on base plus the change.
  const installable = viewRegistry(head);
  for (const { target, node, locate } of ctx.cycleChecks) {
    if (problems.hasErrors(target.file)) continue;
    const why = await unsolvable(installable, node.name, node.version);
    if (why)
      problems.error(
        target.file,
        locate(['dependencies']),
        'unsolvable',
        `${node.name}@${node.version} could not be installed: no set of versions satisfies its dependencies together with the registry:\n${why}`,
      );
  }

  if (input.checkPackable) {
    const progress = input.progress ?? silentProgress;
    progress.start([...added.values()].flat().length, 'packing');
    try {
      for (const targets of added.values()) {
        for (const target of targets) {
          const parsed = await head.definition(target.name, target.version);
          if (parsed?.value && !problems.hasErrors(target.file)) {
            const text = (await input.head.read(target.file))?.toString('utf8');
            problems.add(await input.checkPackable(parsed.value, target.file, text));
          }
          progress.advance(`${target.name}@${target.version}`);
        }
      }
    } finally {
      progress.stop();
    }
  }
  // What the change does to what resolves: packages an override, yank, unpublish or new major touches.
  const rebound = new Set<string>();
  for (const op of ctx.operations) {
    if (op.name === undefined) continue;
    if (op.kind === 'override' || op.kind === 'yank' || op.kind === 'unpublish') rebound.add(op.name);
    if (op.kind === 'new-version' && op.version !== undefined && isNewMajor(base, op.name, op.version))
      rebound.add(op.name);
  }
  const impact = problems.sorted().some((p) => p.severity === 'error') ? [] : await impactOf(base, head, rebound);
  // Taking away a version others can only resolve with is a trustee's decision.
  if (!roles.trusteeInvolved) {
    const stopped = impact.filter((i) => i.effect === 'stops-resolving').map((i) => i.package);
    for (const op of ctx.operations)
      if (stopped.length > 0 && (op.kind === 'unpublish' || op.kind === 'yank'))
        problems.error(
          op.file,
          START,
          'breaks-dependents',
          `${op.kind === 'unpublish' ? 'unpublishing' : 'yanking'} ${op.name}@${op.version} leaves ${stopped.slice(0, 5).join(', ')}${stopped.length > 5 ? ` and ${stopped.length - 5} more` : ''} unable to resolve: a trustee decides (see the impact in the summary)`,
        );
  }
  if (ctx.waived.size > 0) {
    const first = [...ctx.waived.values()][0]![0]!;
    const what = [...ctx.waived.entries()].map(([rule, files]) => `${rule} ×${files.length}`).join(', ');
    problems.warning(
      first,
      START,
      'waived',
      `waived for a maintainer's new packages (a bulk import): ${what}; a trustee confirms the owners before they publish`,
    );
  }
  return {
    problems: problems.sorted(),
    operations: ctx.operations,
    checkedFiles: checked,
    ...(impact.length > 0 ? { impact } : {}),
  };
}

/** Whether `name@version` is in the index; without a lookup, a definition on base is published. */
async function isPublished(ctx: Context, name: string, version: string): Promise<boolean> {
  return ctx.input.published === undefined ? true : ctx.input.published(name, version);
}

async function checkOutside(ctx: Context, change: ChangedFile, file: string, isRegistry: boolean): Promise<void> {
  ctx.operations.push(isRegistry ? { kind: 'registry-settings', file } : { kind: 'other', file });
  if (!ctx.roles.authorIsMaintainer) {
    ctx.problems.error(
      file,
      START,
      'outside-folders',
      `only maintainers and trustees may change files outside packages/ and overrides/ (${ctx.roles.authorLogin} is neither)`,
    );
  }
  if (!isRegistry) return;
  if (change.status === 'deleted') {
    ctx.problems.error(file, START, 'schema', 'registry.yaml must not be deleted');
    return;
  }
  ctx.problems.add((await readRegistrySettings(ctx.input.head)).problems);
}

async function checkAdded(
  ctx: Context,
  name: string,
  targets: Target[],
  deleted: ReadonlySet<string>,
  newNames: string[],
): Promise<void> {
  const { base, head, roles, problems } = ctx;
  const isNew = base.versions(name).length === 0;
  const currentOwners = isNew ? [] : await base.owners(name);
  const latest = isNew ? undefined : await base.latest(name);
  let newOwners: string[] | undefined;
  for (const [i, target] of targets.entries()) {
    const parsed = await head.definition(name, target.version);
    if (!parsed) continue;
    problems.add(parsed.problems);
    const def = parsed.value;
    const loaded = parsed.loaded;
    if (!def || !loaded) continue;
    const file = target.file;
    const at = (path: Array<string | number>) => loaded.locate(path);
    if (base.has(name, target.version) && (await isPublished(ctx, name, target.version)))
      problems.error(file, at(['version']), 'version-exists', `${name}@${target.version} is already published`);
    if (deleted.has(target.change.path)) {
      problems.error(
        file,
        at(['version']),
        'version-unpublished',
        `${name}@${target.version} was published and unpublished before; a version number is never reused: choose a new version`,
      );
    }
    if (isNew && i === 0) {
      ctx.operations.push({ kind: 'new-package', file, name, version: target.version });
      checkNewPackage(ctx, file, at, name, def.owners);
      newOwners = (def.owners ?? []).map((o) => o.toLowerCase());
      const reserved = reservedError(name, ctx.base.config.reservedNames);
      if (reserved && !roles.trusteeInvolved) problems.error(file, at(['name']), 'name-reserved', reserved);
      const branch = branchNameError(name, ctx.base.config.indexBranch);
      if (branch) problems.error(file, at(['name']), 'name-branch', branch);
      const similar = similarError(name, { published: base.names(), proposed: newNames.filter((n) => n !== name) });
      if (similar && !roles.trusteeInvolved)
        ownerRule(ctx, file, 'name-similar', () => problems.error(file, at(['name']), 'name-similar', similar));
    } else if (isNew) {
      ctx.operations.push({ kind: 'new-version', file, name, version: target.version });
      if (!roles.ownerInvolved(newOwners ?? []) && !roles.trusteeInvolved) {
        problems.error(
          file,
          at(['version']),
          'not-owner',
          `only an owner of ${name} or a trustee may publish its versions`,
        );
      }
    } else {
      const ownerOk = roles.ownerInvolved(currentOwners);
      const ownersChanged = def.owners !== undefined && !sameLogins(def.owners, currentOwners);
      if (ownersChanged) {
        const added = (def.owners ?? []).filter((o) => !currentOwners.includes(o.toLowerCase()));
        if (added.length > 0) checkConsent(ctx, file, at, name, added, false);
      }
      const locationChanged = latest !== undefined && !sameLocation(def.location, latest.location);
      ctx.operations.push({
        kind: ownersChanged || locationChanged ? 'transfer' : 'new-version',
        file,
        name,
        version: target.version,
      });
      if (!roles.known && (ownersChanged || locationChanged)) {
        const what = ownersChanged
          ? `changes the owners of ${name} from ${currentOwners.join(', ') || 'none recorded'} to ${(def.owners ?? []).join(', ')}`
          : `moves ${name} to another source location`;
        problems.error(
          file,
          at(ownersChanged ? ['owners'] : ['location']),
          'owner-continuity',
          `${name}@${target.version} ${what}, and no pull request record shows an owner or a trustee approving it: a transfer is published only from a pull request the owners (${currentOwners.join(', ') || 'none recorded'}) or a trustee approved`,
        );
      }
      if (!ownerOk && !roles.trusteeInvolved) {
        const owners = currentOwners.length > 0 ? currentOwners.join(', ') : 'none recorded';
        problems.error(
          file,
          at(['version']),
          'not-owner',
          `only an owner of ${name} (${owners}) may publish a new version, as author or approving reviewer, or a trustee`,
        );
      }
      if (locationChanged && !roles.trusteeInvolved) {
        problems.error(
          file,
          at(['location']),
          'trustee-required',
          `moving ${name} to another source location is a transfer that needs a trustee's approval`,
        );
      }
    }
    checkVersionNumber(ctx, file, at, name, target.version, def.dependencies ?? {}, deleted);
    problems.add(dependencyProblems(file, loaded, name, def.dependencies ?? {}, head));
    ctx.cycleChecks.push({ target, node: { name, version: target.version }, locate: at });
  }
}

/** registry.yaml `versions`: sequential numbers, a sane first version, prereleases, upper bounds. */
function checkVersionNumber(
  ctx: Context,
  file: string,
  at: (path: Array<string | number>) => { line: number; col: number },
  name: string,
  version: string,
  dependencies: Dependencies,
  deleted: ReadonlySet<string>,
): void {
  const rules = ctx.base.config.versions;
  // Unpublished versions used their numbers up: 1.1.1 follows an unpublished 1.1.0.
  const unpublished = [...deleted].flatMap((path) => {
    const info = classifyPath(path);
    return info.kind === 'definition' && info.name === name ? [info.version] : [];
  });
  const others = [...ctx.head.versions(name), ...unpublished].filter((v) => v !== version);
  // A trustee's approval stands for the explanation a gap or an unusual start needs.
  if (!ctx.roles.trusteeInvolved) {
    const problem =
      others.length === 0
        ? firstVersionError(version, rules.firstVersions)
        : rules.sequential
          ? skippedVersionError(version, others)
          : undefined;
    if (problem)
      ctx.problems.error(file, at(['version']), others.length === 0 ? 'first-version' : 'version-skipped', problem);
  }
  if (!rules.prereleases && isPrerelease(version))
    ctx.problems.error(
      file,
      at(['version']),
      'prerelease',
      `this registry does not publish prereleases (${version}): registry.yaml versions.prereleases`,
    );
  if (rules.upperBounds)
    for (const [dependency, range] of Object.entries(dependencies)) {
      const problem = upperBoundError(dependency, range);
      if (problem) ctx.problems.error(file, at(['dependencies', dependency]), 'upper-bound', problem);
    }
}

/**
 * A maintainer's (or trustee's) new packages, as a bulk import writes them with placeholder owners, are not
 * held to the owner rules and name similarity; the gate says once, at the end, what it waived and where.
 */
function ownerRule(ctx: Context, file: string, rule: string, refuse: () => void): void {
  if (!ctx.roles.authorIsMaintainer) return refuse();
  ctx.waived.set(rule, [...(ctx.waived.get(rule) ?? []), file]);
}

/** Every owner listed on a new package, or added by a transfer, opened or approved the pull request (or a trustee did). */
function checkConsent(
  ctx: Context,
  file: string,
  at: (path: Array<string | number>) => { line: number; col: number },
  name: string,
  owners: readonly string[],
  waivable = true,
): void {
  const { roles } = ctx;
  if (!roles.known || roles.trusteeInvolved) return;
  const silent = owners.filter((o) => o.toLowerCase() !== roles.author && !roles.approvers.has(o.toLowerCase()));
  if (silent.length === 0) return;
  const refuse = () =>
    ctx.problems.error(
      file,
      at(['owners']),
      'owner-consent',
      `${silent.join(', ')} ${silent.length === 1 ? 'is' : 'are'} listed as ${silent.length === 1 ? 'an owner' : 'owners'} of ${name} but neither opened nor approved this pull request: each owner approves it (a review of this commit), or a trustee does`,
    );
  if (waivable) ownerRule(ctx, file, 'owner-consent', refuse);
  else refuse();
}

function checkNewPackage(
  ctx: Context,
  file: string,
  at: (path: Array<string | number>) => { line: number; col: number },
  name: string,
  owners: string[] | undefined,
): void {
  const { roles, problems } = ctx;
  if (!owners || owners.length === 0) {
    problems.error(
      file,
      at(['name']),
      'owners-required',
      `the first version of ${name} must list its owners (GitHub logins), including ${ctx.roles.authorLogin}`,
    );
  } else if (roles.known && !owners.some((o) => o.toLowerCase() === roles.author)) {
    ownerRule(ctx, file, 'not-owner', () =>
      problems.error(
        file,
        at(['owners']),
        'not-owner',
        `the author of a new package must be one of its owners: add ${ctx.roles.authorLogin} to owners`,
      ),
    );
  }
  // Once the author is an owner, every other owner listed consents too (not-owner says enough otherwise).
  if (owners?.some((o) => o.toLowerCase() === roles.author)) checkConsent(ctx, file, at, name, owners);
  if (name.startsWith('@')) {
    const scope = name.slice(1, name.indexOf('/'));
    const scopeOwners = ctx.base.config.scopes[scope];
    if (!scopeOwners) {
      problems.error(
        file,
        at(['name']),
        'scope-owner',
        `the scope @${scope} is not registered; a trustee adds it to scopes in registry.yaml`,
      );
    } else if (!roles.ownerInvolved(scopeOwners)) {
      problems.error(
        file,
        at(['name']),
        'scope-owner',
        `only owners of the scope @${scope} (${scopeOwners.join(', ')}) may create packages in it, as author or approving reviewer`,
      );
    }
  }
}

async function checkUnpublish(ctx: Context, target: Target, windowHours: number): Promise<void> {
  const { roles, problems } = ctx;
  const { name, version, file } = target;
  ctx.operations.push({ kind: 'unpublish', file, name, version });
  if (roles.trusteeInvolved) return;
  const owners = await ctx.base.owners(name);
  if (!roles.ownerInvolved(owners)) {
    problems.error(
      file,
      START,
      'not-owner',
      `only an owner of ${name} (within ${windowHours} hours of publication) or a trustee may unpublish ${name}@${version}`,
    );
    return;
  }
  const pr = ctx.input.pr;
  if (pr === undefined) return;
  const publishedAt = await pr.publishedAt?.(name, version);
  if (!publishedAt) {
    problems.error(
      file,
      START,
      'unpublish-window',
      `when ${name}@${version} was published is unknown, so the ${windowHours}-hour window cannot be checked: ask a trustee to approve`,
    );
    return;
  }
  const hours = (pr.now.getTime() - publishedAt.getTime()) / 3_600_000;
  if (hours > windowHours) {
    problems.error(
      file,
      START,
      'unpublish-window',
      `${name}@${version} was published ${Math.floor(hours)} hours ago; owners may unpublish only within ${windowHours} hours: ask a trustee (or yank it with an override)`,
    );
  }
}

async function checkOverride(ctx: Context, target: Target): Promise<void> {
  const { base, head, roles, problems } = ctx;
  const { name, version, file, change } = target;
  const before = (await base.override(name, version))?.value;
  const parsed = change.status === 'deleted' ? undefined : await head.override(name, version);
  if (parsed) problems.add(parsed.problems);
  if (parsed && !parsed.value) return;
  const after = parsed?.value;
  const at = (path: Array<string | number>) => parsed?.loaded?.locate(path) ?? START;
  if (change.status !== 'deleted' && !head.has(name, version)) {
    problems.error(file, START, 'override-orphan', `there is no ${definitionPath(name, version)} to override`);
  }
  const depsChanged = JSON.stringify(before?.dependencies ?? null) !== JSON.stringify(after?.dependencies ?? null);
  const yankChanged = (before?.yanked ?? false) !== (after?.yanked ?? false);
  const deprecationChanged = before?.deprecated !== after?.deprecated;
  if (depsChanged || (!yankChanged && !deprecationChanged))
    ctx.operations.push({ kind: 'override', file, name, version });
  if (yankChanged) ctx.operations.push({ kind: 'yank', file, name, version });
  if (deprecationChanged) ctx.operations.push({ kind: 'deprecate', file, name, version });
  if (depsChanged && !roles.trusteeInvolved) {
    problems.error(
      file,
      at(['dependencies']),
      'trustee-required',
      `only trustees may change the dependencies of a published version (${name}@${version})`,
    );
  }
  const owners = base.versions(name).length > 0 ? await base.owners(name) : await head.owners(name);
  if (!roles.trusteeInvolved && !roles.ownerInvolved(owners)) {
    const key = yankChanged ? ['yanked'] : deprecationChanged ? ['deprecated'] : ['reason'];
    problems.error(
      file,
      at(key),
      'not-owner',
      `only an owner of ${name} or a trustee may yank, deprecate or annotate its versions`,
    );
  }
  if (after?.dependencies && parsed?.loaded) {
    problems.add(dependencyProblems(file, parsed.loaded, name, after.dependencies, head));
    const loaded = parsed.loaded;
    ctx.cycleChecks.push({ target, node: { name, version }, locate: (path) => loaded.locate(path) });
  }
}

/** Whether `version` is the first of a new major for `name` (above every major the base has). */
function isNewMajor(base: RegistryView, name: string, version: string): boolean {
  const majors = base.versions(name).map((v) => Number(v.split('.')[0]));
  return majors.length > 0 && Number(version.split('.')[0]) > Math.max(...majors);
}
