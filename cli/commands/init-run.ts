/** What `granary init` does once it runs: loaded by its action. */
import { basename, resolve } from 'node:path';
import { createRegistry } from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { InitFlags } from './init.js';

/** A registry name from a directory name: lowercase, other characters folded to "-". */
export function nameFromDir(dir: string): string {
  const folded = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64);
  return folded || 'registry';
}

export async function runInit(ctx: CommandContext, dir: string, flags: InitFlags): Promise<CommandResult> {
  const target = resolve(ctx.io.cwd, dir);
  const name = flags.name ?? nameFromDir(target);
  const created = await createRegistry(target, {
    name,
    ...(flags.github ? { github: flags.github } : {}),
    ...(flags.cliSource ? { cliSource: flags.cliSource } : {}),
    local: flags.local === true,
  });
  return {
    ok: true,
    json: { ok: true, ...created, name, local: flags.local === true },
    text: [
      `created the ${name} registry in ${created.dir} (commit ${created.commit.slice(0, 12)})`,
      ...created.files.map((f) => `  ${f}`),
      'next: add trustees to registry.yaml, then publish a first package with a pull request adding packages/<name>/<version>.yaml',
      ...(flags.github
        ? [
            'once pushed to GitHub: set the repository up safely (squash or merge commits only, granary/validate required, branches up to date, main protected) with',
            `  granary doctor --github ${flags.github} --fix    (GITHUB_TOKEN with administration: write; see docs/operator-guide.md)`,
          ]
        : []),
    ].join('\n'),
  };
}
