/** What `granary submit` does once it runs: loaded by its action (Octokit is loaded only here). */
import { resolve } from 'node:path';
import { octokitFromEnv } from '../../curator/github/octokit.js';
import { submit } from '../../curator/submit/submit.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { SubmitFlags } from './submit.js';

export async function runSubmit(ctx: CommandContext, flags: SubmitFlags): Promise<CommandResult> {
  const env = ctx.io.env;
  const github = flags.dryRun ? undefined : octokitFromEnv(env, 'granary-submit');
  const result = await submit(
    {
      dir: resolve(ctx.io.cwd, flags.dir),
      registry: flags.registry ?? env['GRANARY_REGISTRY'] ?? '',
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
  const lines = [`# ${result.path}`, result.content.trimEnd(), ''];
  if (result.opened)
    lines.push(
      `opened ${result.opened.url}${result.opened.forked ? ` (from your fork ${result.opened.headRepo})` : ''}`,
    );
  else
    lines.push(
      `dry run: would open "${result.pullRequest.title}" against ${result.pullRequest.registry} from the branch ${result.pullRequest.branch}`,
    );
  return {
    ok: true,
    text: lines.join('\n'),
    json: {
      ok: true,
      path: result.path,
      definition: result.definition,
      content: result.content,
      pullRequest: result.opened ?? { ...result.pullRequest, dryRun: true },
    },
  };
}
