/** `granary site build|serve`: the registry as a static website (browse, search, look up by hash), and a local preview of it. */
import type { Command } from 'commander';
import { runAction, type CommandContext } from '../command.js';
import { addRegistryOptions, type RegistryFlags } from './resolve.js';

export type SiteBuildFlags = RegistryFlags & { out: string; basePath?: string; json?: boolean };

export interface SitePublishFlags {
  repo: string;
  indexBranch?: string;
  basePath?: string;
  cache?: string;
  force?: boolean;
  json?: boolean;
}

export interface SiteServeFlags {
  port: string;
  basePath?: string;
  json?: boolean;
}

export function registerSite(program: Command, ctx: CommandContext): void {
  const site = program
    .command('site')
    .description('build a static website of a registry from its verified index, and preview it locally');

  addRegistryOptions(
    site
      .command('build')
      .description(
        'write the site: a home page, a page per package (README, dependencies, dependents, versions, revisions), scope and keyword pages, search and lookup by hash; only pages whose bytes changed are written',
      ),
  )
    .option('--out <dir>', 'the site directory: new, empty, or one built before', 'granary-site')
    .option(
      '--base-path <path>',
      'the URL path the site is served under, e.g. /registry/ (pages link relatively; only 404.html needs it)',
      '/',
    )
    .option('--json', 'print the result as JSON')
    .action(runAction(ctx, async (flags: SiteBuildFlags) => (await import('./site-run.js')).runSiteBuild(ctx, flags)));

  site
    .command('publish')
    .description(
      "build the site of a registry clone's index branch and commit it under site/ of that branch, next to the index (GitHub Pages serves it from there); only when the index or the download counts changed",
    )
    .option('--repo <dir>', 'a clone of the registry repository', '.')
    .option('--index-branch <name>', 'the index branch (default: registry.yaml `indexBranch`, else index)')
    .option(
      '--base-path <path>',
      'the URL path the site is served under; on GitHub Pages /<repository>/site/ (only 404.html needs it)',
      '/',
    )
    .option(
      '--cache <DIR>',
      'where verified tarballs and what the site read from them are kept (default: $GRANARY_CACHE, else `cache` in a config file, else ~/.cache/granary)',
    )
    .option('--force', 'build and commit even if the site already shows this index and these counts')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (flags: SitePublishFlags) =>
        (await import('./site-publish-run.js')).runSitePublish(ctx, flags),
      ),
    );

  site
    .command('serve')
    .description('serve a built site on 127.0.0.1 to preview it, until interrupted (Ctrl-C)')
    .argument('<dir>', 'the site directory')
    .option('--port <N>', 'the port to listen on (0: any free port)', '8080')
    .option('--base-path <path>', 'serve the site under this URL path, as its host will', '/')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (dir: string, flags: SiteServeFlags) =>
        (await import('./site-run.js')).runSiteServe(ctx, dir, flags),
      ),
    );
}
