/** `granary submit`: turn a tag of a package's repository into a registry pull request. */
import { UsageError } from '../../core/errors.js';
import type { PackageDefinition } from '../../schema/types.js';
import { githubError } from '../github/api-error.js';
import type { GitHub } from '../github/octokit.js';
import { definitionPath } from '../registry/layout.js';
import { buildDefinition, definitionYaml, type DefinitionFlags } from './definition.js';
import {
  branchFor,
  openPullRequest,
  pullRequestText,
  type OpenedPullRequest,
  type OpenPullRequestOptions,
} from './open-pull-request.js';
import { readSourceFacts } from './source-facts.js';

export interface SubmitOptions extends DefinitionFlags {
  /** The package's repository. */
  dir: string;
  tag?: string;
  /** OWNER/REPO of the registry. */
  registry: string;
  dryRun?: boolean;
}

export interface SubmitResult {
  definition: PackageDefinition;
  path: string;
  content: string;
  pullRequest: { title: string; base: string; branch: string; registry: string };
  opened: OpenedPullRequest | undefined;
}

const REPO = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;

/** Build the definition and (unless a dry run) open the PR with `github`. */
export async function submit(
  options: SubmitOptions,
  github: GitHub | undefined,
  open: OpenPullRequestOptions = {},
): Promise<SubmitResult> {
  const m = REPO.exec(options.registry);
  if (!m)
    throw new UsageError(`--registry must be OWNER/REPO, got ${JSON.stringify(options.registry.slice(0, 80))}`, {
      hint: 'e.g. --registry example-org/registry',
    });
  const registry = { owner: m[1]!, repo: m[2]! };
  const facts = await readSourceFacts(options.dir, options.tag);
  const definition = buildDefinition(facts, options);
  if (definition.owners === undefined && !options.dryRun && github) {
    // The submitter owns what they submit unless the manifest or --owner says otherwise.
    try {
      definition.owners = [(await github.rest.users.getAuthenticated()).data.login];
    } catch (error) {
      throw githubError(error, 'reading the login of the token', {
        hint: 'GITHUB_TOKEN must be a token of the person submitting',
      });
    }
  }
  const path = definitionPath(definition.name, definition.version);
  const content = definitionYaml(definition);
  const text = pullRequestText({ name: definition.name, version: definition.version, path, content });
  const branch = branchFor(definition.name, definition.version);
  const summary = { title: text.title, base: 'the default branch', branch, registry: options.registry };
  if (options.dryRun) return { definition, path, content, pullRequest: summary, opened: undefined };
  if (!github)
    throw new UsageError('granary submit needs a GitHub token to open the pull request', {
      where: 'GITHUB_TOKEN',
      hint: 'set GITHUB_TOKEN (or GH_TOKEN) to a token that can create branches and pull requests, or pass --dry-run to see the definition',
    });
  const opened = await openPullRequest(
    github,
    registry,
    { name: definition.name, version: definition.version, path, content },
    open,
  );
  return { definition, path, content, pullRequest: summary, opened };
}
