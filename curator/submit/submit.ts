/** `granary submit`: turn a tag of a package's repository into a registry pull request (or a branch of a local clone). */
import { InputError, UsageError } from '../../core/errors.js';
import type { PackageDefinition } from '../../schema/types.js';
import { githubError } from '../github/api-error.js';
import { parseRepoRef, type GitHub, type RepoRef } from '../github/octokit.js';
import { definitionPath } from '../registry/layout.js';
import {
  buildDefinition,
  definitionYaml,
  packageName,
  versionFromTag,
  type CarriedField,
  type DefinitionFlags,
} from './definition.js';
import { githubRegistryFiles, readRegistryRepository, type RegistryRepository } from './github-registry.js';
import { commitDefinition, openLocalRegistry, type LocalCommit, type LocalRegistry } from './local-registry.js';
import { parseManifest } from './manifest.js';
import {
  branchFor,
  openPullRequest,
  pullRequestText,
  tokenHint,
  type OpenedPullRequest,
  type OpenPullRequestOptions,
} from './open-pull-request.js';
import { readPackageVersions, type PackageVersions } from './previous-version.js';
import { readSourceFacts } from './source-facts.js';

/** The environment variable that names the registry on GitHub (OWNER/REPO) when --registry is not given. */
export const SUBMIT_REGISTRY_ENV = 'GRANARY_SUBMIT_REGISTRY';

export interface SubmitOptions extends DefinitionFlags {
  /** The package's repository. */
  dir: string;
  tag?: string;
  /** OWNER/REPO of the registry on GitHub. */
  registry?: string;
  /** Where `registry` came from, named when it is malformed (default `--registry`). */
  registryFrom?: '--registry' | typeof SUBMIT_REGISTRY_ENV;
  /** A local clone of the registry, used instead of GitHub: read at HEAD, written on a new branch. */
  registryDir?: string;
  dryRun?: boolean;
}

export interface SubmitResult {
  definition: PackageDefinition;
  path: string;
  content: string;
  /** Where the definition goes: `registry` names OWNER/REPO on GitHub, or the local clone's directory. */
  pullRequest: { title: string; base: string; branch: string; registry: string; local: boolean };
  opened: OpenedPullRequest | undefined;
  /** The branch written in the local clone (with `registryDir`, unless a dry run). */
  committed: LocalCommit | undefined;
  /** The fields taken from the highest version the registry already has. */
  carriedOver: { version: string; fields: CarriedField[] } | undefined;
  /** Set when `owners` is the token's login (a first version without --owner or manifest owners). */
  ownersFromToken: boolean;
  warnings: string[];
}

type Target = { kind: 'local'; dir: string } | { kind: 'github'; ref: RepoRef; name: string };

/** Build the definition, then (unless a dry run) open the PR with `github`, or commit it in the local clone. */
export async function submit(
  options: SubmitOptions,
  github: GitHub | undefined,
  open: OpenPullRequestOptions = {},
): Promise<SubmitResult> {
  const target = registryTarget(options);
  if (target.kind === 'github' && !options.dryRun && !github)
    throw new UsageError('granary submit needs a GitHub token to open the pull request', {
      where: 'GITHUB_TOKEN',
      hint: 'set GITHUB_TOKEN (or GH_TOKEN) to a token that can create branches and pull requests, pass --registry-dir with a clone of the registry, or pass --dry-run to see the definition',
    });
  const facts = await readSourceFacts(options.dir, options.tag);
  const manifest = parseManifest(facts.manifest);
  const name = packageName(options, manifest);
  const version = versionFromTag(facts.tag);
  const path = definitionPath(name, version);
  const warnings: string[] = [];
  const { local, repository, known } = await readRegistry(target, github, name, warnings);
  try {
    const shown = target.kind === 'local' ? target.dir : target.name;
    if (known?.versions.includes(version))
      throw new InputError(`${path} already exists in ${shown}: ${name}@${version} is taken`, {
        where: `${shown}:${path}`,
        hint: 'published versions are never replaced: tag a new version and submit that',
      });

    const previous = known?.previous;
    const built = buildDefinition({
      facts,
      manifest,
      flags: options,
      previous,
      localLocation: options.dryRun === true,
    });
    warnings.push(...built.warnings);
    const definition = built.definition;
    // A new package needs owners; a new version without any keeps the package's current ones (the gate's rule).
    const ownersFromToken = definition.owners === undefined && previous === undefined;
    if (ownersFromToken) definition.owners = [await tokenLogin(github, `${name}@${version}`)];

    const content = definitionYaml(definition);
    const text = pullRequestText({ name, version, path, content });
    const branch = branchFor(name, version);
    const result: SubmitResult = {
      definition,
      path,
      content,
      pullRequest: {
        title: text.title,
        base: local ? (local.base ?? 'HEAD') : (repository?.base ?? 'the default branch'),
        branch,
        registry: shown,
        local: local !== undefined,
      },
      opened: undefined,
      committed: undefined,
      carriedOver:
        previous && built.carriedOver.length > 0 ? { version: previous.version, fields: built.carriedOver } : undefined,
      ownersFromToken,
      warnings,
    };
    if (options.dryRun) return result;
    const file = { name, version, path, content };
    if (local) return { ...result, committed: await commitDefinition(local, branch, file) };
    if (target.kind === 'local' || !github) return result;
    return {
      ...result,
      opened: await openPullRequest(github, target.ref, file, { ...open, ...(repository ? { repository } : {}) }),
    };
  } finally {
    local?.close();
  }
}

interface RegistryState {
  local?: LocalRegistry;
  repository?: RegistryRepository;
  /** The package's versions there; undefined when they could not be read (a dry run without a token). */
  known?: PackageVersions;
}

/** Open the local clone, or read the registry on GitHub when there is a token; the caller closes `local`. */
async function readRegistry(
  target: Target,
  github: GitHub | undefined,
  name: string,
  warnings: string[],
): Promise<RegistryState> {
  if (target.kind === 'local') {
    const local = await openLocalRegistry(target.dir);
    try {
      return { local, known: await readPackageVersions(local, name) };
    } catch (error) {
      local.close();
      throw error;
    }
  }
  if (!github) {
    warnings.push(
      `without a GitHub token the versions ${target.name} already has were not read, so nothing was carried over from them: set GITHUB_TOKEN, or pass --registry-dir with a clone of the registry`,
    );
    return {};
  }
  const repository = await readRegistryRepository(github, target.ref);
  return {
    repository,
    known: await readPackageVersions(githubRegistryFiles(github, target.ref, repository.base), name),
  };
}

/** The registry to read and write: `registryDir`, else `registry` as OWNER/REPO. */
function registryTarget(options: SubmitOptions): Target {
  if (options.registryDir !== undefined) return { kind: 'local', dir: options.registryDir };
  const from = options.registryFrom ?? '--registry';
  if (!options.registry)
    throw new UsageError(
      `granary submit needs the registry: pass --registry OWNER/REPO or set ${SUBMIT_REGISTRY_ENV}`,
      {
        hint: 'e.g. --registry example-org/registry; or --registry-dir DIR to use a local clone of the registry',
      },
    );
  try {
    return { kind: 'github', ref: parseRepoRef(options.registry, from), name: options.registry };
  } catch (error) {
    if (from === '--registry' || !(error instanceof UsageError)) throw error;
    throw new UsageError(error.message, {
      where: from,
      hint: `set ${from} to OWNER/REPO (e.g. example-org/registry), or pass --registry`,
      cause: error,
    });
  }
}

/** The login of the token, the owner of a new package when nothing else names one. */
async function tokenLogin(github: GitHub | undefined, subject: string): Promise<string> {
  if (!github)
    throw new UsageError(`${subject} has no owners, which a new package needs: pass --owner LOGIN`, {
      hint: 'or set owners in granary.yaml, or set GITHUB_TOKEN (or GH_TOKEN) so that its login is used',
    });
  try {
    return (await github.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    throw githubError(
      error,
      'reading the login of the token',
      tokenHint(
        error,
        'GITHUB_TOKEN (or GH_TOKEN) must be a valid token of the person submitting; or pass --owner LOGIN',
      ),
    );
  }
}
