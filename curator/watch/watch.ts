/**
 * `granary watch`: new versions without the author opening a pull request. For each registered package,
 * the source repository's SemVer tags newer than its latest version become one pull request each, with the
 * previous version's definition carried over (its dependencies replaced by the tag's own `granary.yaml`
 * dependencies when it has them) and marked as opened automatically; the gate judges it like any other.
 * Repositories that moved or disappeared are reported (GitHub's answer for the repository says which).
 */
import semver from 'semver';
import { parse } from 'yaml';
import { GranaryError } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { PackageDefinition } from '../../schema/types.js';
import { statusOf } from '../github/api-error.js';
import type { GitHub, RepoRef } from '../github/octokit.js';
import { deletedPaths } from '../git/history.js';
import type { GitRunner } from '../../core/git/run.js';
import type { Git } from '../git/repository.js';
import { gitTree } from '../git/tree.js';
import { definitionPath } from '../registry/layout.js';
import { fetchSource, listSourceTags } from '../source/fetch-source.js';
import { definitionYaml, versionFromTag } from '../submit/definition.js';
import { openPullRequest, type OpenedPullRequest } from '../submit/open-pull-request.js';
import { RegistryView } from '../validate/registry-view.js';

/** The registry clone and commit watched, and where pull requests for new tags are opened. */
export interface WatchOptions {
  git: Git;
  /** The commit watched (main). */
  rev: string;
  registry: RegistryConfig;
  /** Where the pull requests go; without it nothing is opened (a dry run). */
  github?: { octokit: GitHub; registry: RepoRef };
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Runs git for the sources (default: real processes); tests stand in for hosts they cannot reach. */
  sourceGit?: GitRunner;
  progress?: (line: string) => void;
}

/** One package's source compared with its latest version: new tags, and the pull requests opened for them. */
export interface WatchedPackage {
  name: string;
  /** The source, as the latest definition names it. */
  source: string;
  latest: string;
  /**
   * `current`: no newer tag; `new`: newer tags proposed (or, without GitHub, that would be); `moved` and
   * `missing`: the repository was renamed or is gone; `unreachable`: its host did not answer (retry);
   * `error`: something about the package itself, named in `reason`.
   */
  status: 'current' | 'new' | 'moved' | 'missing' | 'unreachable' | 'error';
  /** New versions, each with its pull request when one was opened. */
  proposed: Array<{ version: string; tag: string; pullRequest?: OpenedPullRequest; reason?: string }>;
  reason?: string;
}

/** Watch every package of the registry at `rev`; one package's failure never stops the others. */
export async function watchRegistry(options: WatchOptions): Promise<WatchedPackage[]> {
  const tree = await gitTree(options.git, options.rev);
  const view = await RegistryView.open(tree, options.registry);
  const deleted = await deletedPaths(options.git, options.rev);
  const out: WatchedPackage[] = [];
  for (const name of view.names().sort()) {
    const versions = view.versions(name);
    const latestVersion = versions.at(-1)!;
    const latest = (await view.definition(name, latestVersion))?.value;
    if (latest === undefined) continue;
    const watched = await watchPackage(latest, versions, deleted, options);
    options.progress?.(
      `${watched.status} ${name}${watched.proposed.length > 0 ? `: ${watched.proposed.map((p) => p.version).join(', ')}` : ''}`,
    );
    out.push(watched);
  }
  return out;
}

async function watchPackage(
  latest: PackageDefinition,
  versions: string[],
  deleted: Set<string>,
  options: WatchOptions,
): Promise<WatchedPackage> {
  const { name } = latest;
  const source = 'github' in latest.location ? `github:${latest.location.github}` : latest.location.git;
  const base: WatchedPackage = { name, source, latest: latest.version, status: 'current', proposed: [] };
  const context = {
    registry: options.registry,
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
    ...(options.sourceGit ? { git: options.sourceGit } : {}),
  };
  let tags: string[];
  try {
    tags = await listSourceTags(latest.location, { ...context, who: name });
  } catch (error) {
    return { ...base, ...(await whyUnreadable(latest, error, options)) };
  }
  const known = new Set(versions);
  const fresh = new Map<string, string>();
  for (const tag of tags) {
    let version: string;
    try {
      version = versionFromTag(tag);
    } catch {
      continue;
    }
    // Only versions past the latest: older tags the author never published stay unpublished.
    if (!semver.gt(version, latest.version) || known.has(version) || deleted.has(definitionPath(name, version)))
      continue;
    if (!fresh.has(version)) fresh.set(version, tag);
  }
  if (fresh.size === 0) return base;
  const proposed: WatchedPackage['proposed'] = [];
  for (const [version, tag] of [...fresh.entries()].sort((a, b) => semver.compare(a[0], b[0]))) {
    const definition = await carriedOver(latest, version, tag, context).catch((error: unknown) => error as Error);
    if (definition instanceof Error) {
      proposed.push({ version, tag, reason: definition.message });
      continue;
    }
    if (options.github === undefined) {
      proposed.push({ version, tag });
      continue;
    }
    try {
      const pullRequest = await openPullRequest(options.github.octokit, options.github.registry, {
        name,
        version,
        path: definitionPath(name, version),
        content: definitionYaml(definition),
        origin: `Opened automatically by \`granary watch\`: the tag \`${tag}\` appeared in ${source}. The definition is ${latest.version}'s, carried over.`,
      });
      proposed.push({ version, tag, pullRequest });
    } catch (error) {
      // Already proposed (its branch exists) or already in the registry: said, not an error of the run.
      proposed.push({ version, tag, reason: (error as Error).message });
    }
  }
  return { ...base, status: 'new', proposed };
}

/** The previous definition with the new version and tag; dependencies from the tag's granary.yaml when it has them. */
async function carriedOver(
  latest: PackageDefinition,
  version: string,
  tag: string,
  context: { registry: RegistryConfig; cwd: string; env?: NodeJS.ProcessEnv; git?: GitRunner },
): Promise<PackageDefinition> {
  const { commit: _pinned, ...rest } = latest;
  const definition: PackageDefinition = { ...rest, version, ref: tag };
  const source = await fetchSource(definition, context);
  try {
    const manifest = source.entries.find((e) => e.path === 'granary.yaml' && e.kind === 'file' && e.size < 256 * 1024);
    if (manifest === undefined) return definition;
    for await (const blob of source.readBlobs([manifest.id])) {
      const fields = parse(blob.data.toString('utf8')) as { dependencies?: unknown } | null;
      const deps = fields?.dependencies;
      if (deps !== undefined && deps !== null && typeof deps === 'object' && !Array.isArray(deps)) {
        const dependencies = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, String(v)]));
        const { dependencies: _old, ...without } = definition;
        return Object.keys(dependencies).length > 0 ? { ...without, dependencies } : without;
      }
    }
    return definition;
  } finally {
    await source.dispose();
  }
}

/** Why the tags could not be listed: a moved or missing GitHub repository (asked of GitHub), or the host. */
async function whyUnreadable(
  latest: PackageDefinition,
  error: unknown,
  options: WatchOptions,
): Promise<Pick<WatchedPackage, 'status' | 'reason'>> {
  const message = error instanceof Error ? error.message : String(error);
  if (options.github !== undefined && 'github' in latest.location) {
    const [owner = '', repo = ''] = latest.location.github.split('/');
    try {
      const { data } = await options.github.octokit.rest.repos.get({ owner, repo });
      if (data.full_name.toLowerCase() !== latest.location.github.toLowerCase())
        return {
          status: 'moved',
          reason: `${latest.location.github} is now ${data.full_name}: the next version's definition should say \`location: { github: ${data.full_name} }\``,
        };
    } catch (lookup) {
      if (statusOf(lookup) === 404)
        return { status: 'missing', reason: `${latest.location.github} does not exist or is private: ${message}` };
    }
  }
  const temporary = error instanceof GranaryError && error.temporary;
  return temporary
    ? { status: 'unreachable', reason: `${message}: run watch again later` }
    : { status: 'missing', reason: message };
}
