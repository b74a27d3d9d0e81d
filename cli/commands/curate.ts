/** `granary curate`: publish what merged on main and commit the signed index. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';

export interface CurateFlags {
  repo: string;
  store?: string[];
  indexBranch?: string;
  mainBranch: string;
  signKey?: string;
  dryRun?: boolean;
  plan?: boolean;
  author?: string;
  approvedBy?: string;
  trustee?: boolean;
  github?: string;
}

export function registerCurate(program: Command, ctx: CommandContext): void {
  program
    .command('curate')
    .description(
      'publish the versions merged on main since the last index commit, apply overrides and unpublishes, and commit the signed index',
    )
    .option(
      '--repo <dir>',
      'a clone of the registry repository (whatever is checked out: only the main branch is read, the work tree is never touched)',
      '.',
    )
    .option('--main-branch <name>', 'the branch that is curated; nothing else ever is', 'main')
    .option(
      '--store <spec>',
      'a release store, fs:DIR or github:OWNER/REPO; repeat for mirrors, the first is primary (default: registry.yaml `stores`)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option(
      '--index-branch <name>',
      'the branch that receives the index (default: registry.yaml `indexBranch`, else index)',
    )
    .option(
      '--sign-key <file>',
      'the online Ed25519 private key (PEM) that signs the index metadata (default: $GRANARY_SIGNING_KEY, PEM text or a path)',
    )
    .option(
      '--github <owner/repo>',
      "look up each merged change's pull request on GitHub (author, approvals of its final head) for the merge-time gate; needs GITHUB_TOKEN",
    )
    .option('--author <login>', 'the author of the one pull request being curated (instead of --github)')
    .option('--approved-by <logins>', 'comma-separated logins that approved that pull request')
    .option('--trustee', 'a trustee approved that pull request')
    .option('--dry-run', 'pack and report, but upload nothing and commit nothing')
    .option(
      '--plan',
      "count the versions, releases, uploads and GitHub requests a run would make and how long it takes at registry.yaml's pace; nothing is packed or sent",
    )
    .option('--json', 'print the report as JSON')
    .action(runAction(ctx, async (flags: CurateFlags) => (await import('./curate-run.js')).runCurate(ctx, flags)));
}
