/** `granary submit`: open the registry pull request for a tagged release of a package. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createOctokit } from '../../curator/stores/octokit.js';
import { submit } from '../../curator/submit/submit.js';
import { runAction, type CommandContext } from '../command.js';

interface SubmitFlags {
  registry?: string;
  tag?: string;
  dir: string;
  name?: string;
  description?: string;
  license?: string;
  dependency: string[];
  owner: string[];
  dryRun?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSubmit(program: Command, ctx: CommandContext): void {
  program
    .command('submit')
    .description("write the definition of a tagged release and open the registry pull request that adds it")
    .option('--registry <owner/repo>', 'the registry repository on GitHub (default: $GRANARY_REGISTRY)')
    .option('--tag <tag>', 'the release tag (default: the tag at HEAD); the version is read from it')
    .option('--dir <dir>', "the package's git repository", '.')
    .option('--name <name>', 'package name (default: from granary.yaml or package.json)')
    .option('--description <text>', 'one-paragraph description (default: from the manifest)')
    .option('--license <spdx>', 'SPDX license expression (default: from the manifest)')
    .option('--dependency <name@range>', 'a dependency; repeat for more (replaces the manifest\'s dependencies)', collect, [] as string[])
    .option('--owner <login>', 'a GitHub login allowed to publish new versions; repeat for more (default: the manifest, else you)', collect, [] as string[])
    .option('--dry-run', 'print the definition and the pull request without calling GitHub')
    .option('--json', 'print { ok, path, definition, content, pullRequest } as JSON')
    .action(
      runAction(ctx, async (flags: SubmitFlags) => {
        const env = ctx.io.env;
        const token = env['GITHUB_TOKEN'] || env['GH_TOKEN'] || undefined;
        const apiUrl = env['GITHUB_API_URL'] || undefined;
        const github = flags.dryRun || !token ? undefined : createOctokit({ token, ...(apiUrl ? { baseUrl: apiUrl } : {}), userAgent: 'granary-submit' });
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
        if (result.opened) lines.push(`opened ${result.opened.url}${result.opened.forked ? ` (from your fork ${result.opened.headRepo})` : ''}`);
        else lines.push(`dry run: would open "${result.pullRequest.title}" against ${result.pullRequest.registry} from the branch ${result.pullRequest.branch}`);
        return {
          ok: true,
          text: lines.join('\n'),
          json: { ok: true, path: result.path, definition: result.definition, content: result.content, pullRequest: result.opened ?? { ...result.pullRequest, dryRun: true } },
        };
      }),
    );
}
