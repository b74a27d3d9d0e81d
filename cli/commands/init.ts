/** `granary init`: create a new registry repository. */
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { createRegistry } from '../../curator/init/create-registry.js';
import { LOCAL_STORE } from '../../curator/init/registry-yaml.js';
import { runAction, type CommandContext } from '../command.js';

interface InitFlags {
  name?: string;
  github?: string;
  local?: boolean;
  cliSource?: string;
}

/** A registry name from a directory name: lowercase, other characters folded to "-". */
export function nameFromDir(dir: string): string {
  const folded = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 64);
  return folded || 'registry';
}

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('create a new registry repository in DIR (which must be empty or absent): registry.yaml, packages/, overrides/, workflows, README and a first commit')
    .argument('<dir>', 'where to create the registry')
    .option('--name <name>', "the registry's name (default: from DIR)")
    .option('--github <owner/repo>', 'the GitHub repository the registry will live in')
    .option('--local', `accept file:// git sources and publish to ${LOCAL_STORE} (demos, tests)`)
    .option('--cli-source <spec>', 'where the generated workflows install granary from: a git source pinned to a commit, e.g. github:your-org/granary#<40-hex sha> (default: a placeholder the workflows refuse until it is set)')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (dir: string, flags: InitFlags) => {
        const target = resolve(ctx.io.cwd, dir);
        const name = flags.name ?? nameFromDir(target);
        const created = await createRegistry(target, { name, ...(flags.github ? { github: flags.github } : {}), ...(flags.cliSource ? { cliSource: flags.cliSource } : {}), local: flags.local === true });
        return {
          ok: true,
          json: { ok: true, ...created, name, local: flags.local === true },
          text: [
            `created the ${name} registry in ${created.dir} (commit ${created.commit.slice(0, 12)})`,
            ...created.files.map((f) => `  ${f}`),
            'next: add trustees to registry.yaml, then publish a first package with a pull request adding packages/<name>/<version>.yaml',
          ].join('\n'),
        };
      }),
    );
}
