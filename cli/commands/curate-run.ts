/** What `granary curate` does once it runs: loaded by its action, so other commands never load curator/. */
import { resolve } from 'node:path';
import { curateClone, describePlan, type CurateReport } from '../../curator/index.js';
import { UsageError } from '../../core/errors.js';
import { gitRunner, type GitRunner } from '../../core/git/run.js';
import { stepLog, verboseLog, type CommandContext, type CommandResult } from '../command.js';
import { splitLogins } from '../logins.js';
import type { CurateFlags } from './curate.js';

export async function runCurate(ctx: CommandContext, flags: CurateFlags): Promise<CommandResult> {
  if (flags.author === undefined && (flags.approvedBy !== undefined || flags.trustee === true))
    throw new UsageError('--approved-by and --trustee describe a pull request: pass its --author too', {
      hint: 'e.g. --author octocat --approved-by hubot',
    });
  const trace = verboseLog(ctx);
  const report = await curateClone({
    repoDir: resolve(ctx.io.cwd, flags.repo),
    ...(flags.store !== undefined ? { stores: flags.store } : {}),
    ...(flags.indexBranch !== undefined ? { indexBranch: flags.indexBranch } : {}),
    mainBranch: flags.mainBranch,
    ...(flags.signKey !== undefined ? { signKey: flags.signKey } : {}),
    dryRun: flags.dryRun === true,
    plan: flags.plan === true,
    ...(flags.github !== undefined ? { github: flags.github } : {}),
    ...(flags.author !== undefined
      ? {
          pullRequest: {
            author: flags.author,
            approvedBy: splitLogins(flags.approvedBy),
            trustee: flags.trustee === true,
          },
        }
      : {}),
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    // Its log (each version published or refused, each wait for GitHub) is its progress; --verbose adds git calls.
    log: stepLog(ctx),
    runner: trace === undefined ? undefined : tracedRunner(trace),
  });
  if (report.plan !== undefined) {
    const refusals = report.refused.map((r) => `refused     ${r.file} (${r.commit.slice(0, 12)}): ${r.message}`);
    return {
      ok: report.refused.length === 0,
      json: { ok: report.refused.length === 0, plan: report.plan, refused: report.refused },
      text: [...refusals, describePlan(report.plan)].join('\n'),
    };
  }
  return {
    ok: report.refused.length === 0,
    json: { ok: report.refused.length === 0, dryRun: flags.dryRun === true, ...report },
    text: describeReport(report, flags.dryRun === true),
  };
}

function describeReport(report: CurateReport, dryRun: boolean): string {
  const out: string[] = [];
  for (const p of report.published) out.push(`published   ${p.name}@${p.version}  sha256:${p.sha256}  ${p.asset}`);
  for (const r of report.revised) out.push(`revised     ${r.name}@${r.version}  revision ${r.revision}`);
  for (const u of report.unpublished) out.push(`unpublished ${u.name}@${u.version}`);
  for (const r of report.refused) out.push(`refused     ${r.file} (${r.commit.slice(0, 12)}): ${r.message}`);
  if (dryRun) out.push(`dry run: nothing uploaded or committed (main up to ${report.curatedCommit.slice(0, 12)})`);
  else if (report.indexCommit !== undefined)
    out.push(
      `index commit ${report.indexCommit.slice(0, 12)}: snapshot version ${report.snapshotVersion}, main up to ${report.curatedCommit.slice(0, 12)}, ${report.changedFiles ?? 0} file(s) written`,
    );
  else out.push(`nothing new: the index is up to date with main (${report.curatedCommit.slice(0, 12)})`);
  return out.join('\n');
}

/** Real git, with each call said first (`git rev-parse …`). */
function tracedRunner(trace: (line: string) => void): GitRunner {
  return {
    run(dir, args, options) {
      trace(`git ${args.join(' ')}`);
      return gitRunner.run(dir, args, options);
    },
    start(dir, args, options) {
      trace(`git ${args.join(' ')}`);
      return gitRunner.start(dir, args, options);
    },
  };
}
