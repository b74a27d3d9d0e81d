/** Step 5: the index branch exported into site/index, the fs: store at site/assets, both served on a loopback port. */
import { mkdir, rm } from 'node:fs/promises';
import { extract } from 'tar';
import { check, LAYOUT, type DemoContext } from '../context.js';
import { serveDirectory } from '../static-server.js';
import type { DemoStep } from '../step.js';

/** Replace site/index with the files of the index branch (`git archive index | tar -x`). */
export async function exportIndex(ctx: DemoContext): Promise<void> {
  ctx.command(`git -C ${LAYOUT.registry} archive index | tar -x -C ${LAYOUT.siteIndex}`);
  const archive = ctx.path('index.tar');
  await ctx.git(ctx.path(LAYOUT.registry), ['archive', '--format=tar', `--output=${archive}`, 'index']);
  await rm(ctx.path(LAYOUT.siteIndex), { recursive: true, force: true });
  await mkdir(ctx.path(LAYOUT.siteIndex), { recursive: true });
  await extract({ file: archive, cwd: ctx.path(LAYOUT.siteIndex), strict: true });
  await rm(archive);
}

/** The registry's base URLs, once it is served. */
export function registryUrls(ctx: DemoContext): { index: string; assets: string } {
  const server = ctx.state.server;
  check(server, 'the registry is not being served (step 5 did not run)');
  return { index: `${server.url}/index`, assets: `${server.url}/assets` };
}

async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

export const serveRegistry: DemoStep = {
  title: 'Serve the index and the assets over HTTP',
  async run(ctx) {
    await exportIndex(ctx);
    const server = await serveDirectory(ctx.path(LAYOUT.site));
    ctx.state.server = server;
    ctx.note(`serve ${LAYOUT.site}/ over HTTP (any static file server will do; the demo starts one on 127.0.0.1)`);
    const { index, assets } = registryUrls(ctx);
    ctx.output([`index:  ${index}/   (the index branch)`, `assets: ${assets}/  (the fs: store)`]);

    const config = await fetch(`${index}/config.json`);
    check(config.status === 200, `GET ${index}/config.json answered ${config.status}`);
    const body = (await config.json()) as { name?: string; format?: number };
    check(body.name === 'demo' && body.format === 2, `config.json names ${body.name} in format ${body.format}`);
    for (const file of ['metadata/timestamp.json', 'metadata/1.root.json'])
      check((await status(`${index}/${file}`)) === 200, `the signed ${file} is not served`);
    check((await status(`${assets}/greeter/greeter-1.0.0.tar.gz`)) === 200, 'the greeter tarball is not served');
    for (const path of ['/index/no-such-file', '/assets/', '/index/..%2f..%2fregistry%2fregistry.yaml']) {
      const code = await status(`${server.url}${path}`);
      check(code === 404, `GET ${path} answered ${code}, expected 404`);
    }
    return `registry served at ${server.url}`;
  },
};
