/** What `granary watch` does once it runs: loaded by its action. */
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { isBranchName } from '../../core/git/ref-names.js';
import {
  Git,
  REGISTRY_REPO_HINT,
  parseRepoRef,
  registryAt,
  requiredOctokitFromEnv,
  watchRegistry,
  type WatchOptions,
} from '../../curator/index.js';
import { stepLog, type CommandContext, type CommandResult } from '../command.js';
import type { WatchFlags } from './watch.js';

export async function runWatch(ctx: CommandContext, flags: WatchFlags): Promise<CommandResult> {
  const dir = resolve(ctx.io.cwd, flags.repo);
  let github: WatchOptions['github'];
  if (flags.github !== undefined) {
    const octokit = requiredOctokitFromEnv(ctx.io.env, 'granary-watch', {
      what: 'granary watch --github opens pull requests and',
      permission:
        'contents: write and pull-requests: write on the registry (in Actions, one whose pull requests start workflows: an app token or a personal token)',
    });
    github = { octokit, registry: parseRepoRef(flags.github, '--github') };
  }
  const git = new Git(dir, { hint: REGISTRY_REPO_HINT });
  try {
    const rev = isBranchName(flags.mainBranch) ? await git.resolveRef(`refs/heads/${flags.mainBranch}`) : undefined;
    if (rev === undefined)
      throw new UsageError(`the registry clone has no branch ${JSON.stringify(flags.mainBranch.slice(0, 80))}`, {
        where: dir,
        hint: 'pass --main-branch, or fetch the branch',
      });
    const packages = await watchRegistry({
      git,
      rev,
      registry: await registryAt(git.objects, rev),
      cwd: dir,
      env: ctx.io.env,
      ...(github ? { github } : {}),
      progress: stepLog(ctx),
    });
    const lines = packages
      .filter((p) => p.status !== 'current')
      .flatMap((p) => [
        `${p.status} ${p.name} (latest ${p.latest}, ${p.source})${p.reason ? `: ${p.reason}` : ''}`,
        ...p.proposed.map(
          (v) =>
            `  ${v.version} (tag ${v.tag}): ${v.pullRequest ? v.pullRequest.url : (v.reason ?? (github ? 'not opened' : 'would open a pull request'))}`,
        ),
      ]);
    const count = (status: string) => packages.filter((p) => p.status === status).length;
    lines.push(
      `${packages.length} packages: ${count('new')} with new versions, ${count('current')} current, ${count('moved')} moved, ${count('missing')} missing, ${count('unreachable')} unreachable${count('error') > 0 ? `, ${count('error')} errors` : ''}`,
    );
    return { ok: true, text: lines.join('\n'), json: { ok: true, packages } };
  } finally {
    git.close();
  }
}
