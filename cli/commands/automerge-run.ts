/** What `granary automerge` does once it runs: loaded by its action. */
import { automerge, parseRepoRef, requiredOctokitFromEnv } from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { AutomergeFlags } from './automerge.js';

export async function runAutomerge(ctx: CommandContext, flags: AutomergeFlags): Promise<CommandResult> {
  const ref = parseRepoRef(flags.github, '--github');
  const octokit = requiredOctokitFromEnv(ctx.io.env, 'granary-automerge', {
    what: 'granary automerge merges pull requests and',
    permission: 'contents: write and pull-requests: write on the registry',
  });
  const decisions = await automerge(octokit, ref, {
    dryRun: flags.dryRun === true,
    enabledOnly: flags.ifEnabled === true,
  });
  const text = decisions.map(
    (d) =>
      `#${d.number} ${d.outcome}${d.kind ? ` (${d.kind})` : ''}${d.until ? ` until ${d.until}` : ''}${d.reason ? `: ${d.reason}` : ''}`,
  );
  text.push(`${decisions.filter((d) => d.outcome === 'merged').length} merged of ${decisions.length} open`);
  if (flags.ifEnabled === true && decisions.length === 0)
    text.push('(with --if-enabled, nothing is judged unless registry.yaml says automerge: { enabled: true })');
  return { ok: true, text: text.join('\n'), json: { ok: true, decisions } };
}
