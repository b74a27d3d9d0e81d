/** What `granary submit` does once it runs: loaded by its action (Octokit is loaded only here). */
import { resolve } from 'node:path';
import { SUBMIT_REGISTRY_ENV, octokitFromEnv, submit, type SubmitResult } from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { SubmitFlags } from './submit.js';

export async function runSubmit(ctx: CommandContext, flags: SubmitFlags): Promise<CommandResult> {
  const env = ctx.io.env;
  // Read-only calls (the registry's versions, the token's login) are made in a dry run too.
  const github = octokitFromEnv(env, 'granary-submit');
  const fromEnv = env[SUBMIT_REGISTRY_ENV] || undefined;
  const result = await submit(
    {
      dir: resolve(ctx.io.cwd, flags.dir),
      ...(flags.registryDir !== undefined
        ? { registryDir: resolve(ctx.io.cwd, flags.registryDir) }
        : flags.registry !== undefined
          ? { registry: flags.registry, registryFrom: '--registry' as const }
          : fromEnv !== undefined
            ? { registry: fromEnv, registryFrom: SUBMIT_REGISTRY_ENV }
            : {}),
      ...(flags.tag !== undefined ? { tag: flags.tag } : {}),
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...(flags.description !== undefined ? { description: flags.description } : {}),
      ...(flags.license !== undefined ? { license: flags.license } : {}),
      dependencies: flags.dependency,
      owners: flags.owner,
      dryRun: flags.dryRun === true,
    },
    github,
  );
  if (!flags.json) for (const w of result.warnings) ctx.io.stderr(`warning: ${w}\n`);
  return {
    ok: true,
    text: describeSubmit(result),
    json: {
      ok: true,
      path: result.path,
      definition: result.definition,
      content: result.content,
      carriedOver: result.carriedOver ?? null,
      warnings: result.warnings,
      pullRequest: result.opened ?? pullRequestJson(result),
      ...(result.committed ? { committed: result.committed } : {}),
    },
  };
}

function describeSubmit(result: SubmitResult): string {
  const lines = [`# ${result.path}`, result.content.trimEnd(), ''];
  const { definition, carriedOver, committed, opened, pullRequest } = result;
  if (carriedOver)
    lines.push(`carried over from ${definition.name}@${carriedOver.version}: ${carriedOver.fields.join(', ')}`);
  if (result.ownersFromToken) lines.push(`owners: ${definition.owners?.join(', ')} (the token's login)`);
  if (opened) lines.push(`opened ${opened.url}${opened.forked ? ` (from your fork ${opened.headRepo})` : ''}`);
  else if (committed) {
    const remote = committed.remote ?? 'REMOTE';
    lines.push(
      `committed ${result.path} on the new branch ${committed.branch} of ${committed.dir} (${committed.commit.slice(0, 12)})`,
      `push it: git -C ${committed.dir} push ${remote} ${committed.branch}`,
      `then open the pull request "${pullRequest.title}" from ${committed.branch} against ${committed.base ?? "the registry's default branch"}`,
    );
  } else if (pullRequest.local)
    lines.push(
      `dry run: would commit ${result.path} on the new branch ${pullRequest.branch} of ${pullRequest.registry}`,
    );
  else
    lines.push(
      `dry run: would open "${pullRequest.title}" against ${pullRequest.registry} from the branch ${pullRequest.branch}`,
    );
  return lines.join('\n');
}

/** The pull request to open, as --json prints it (the `local` flag only for a clone, so earlier output keeps its shape). */
function pullRequestJson(result: SubmitResult): Record<string, unknown> {
  const { local, ...rest } = result.pullRequest;
  return { ...rest, ...(local ? { local: true } : {}), dryRun: result.committed === undefined };
}
