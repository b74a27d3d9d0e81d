/** Step 9: `git clone` + `granary mirror`, served on a second port, and greeter installed from the mirror alone. */
import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../../../core/hash.js';
import { check, described, LAYOUT, type DemoContext } from '../context.js';
import { serveDirectory } from '../static-server.js';
import type { DemoStep } from '../step.js';
import { checkInstalled, installGreeter, type InstallTarget } from './install.js';
import { registryUrls } from './serve.js';

export const FROM_MIRROR: InstallTarget = {
  dir: 'app-mirror/granary_packages',
  lock: 'app-mirror/granary.lock',
  cache: `${LAYOUT.cache}/mirror-client`,
};
/** After the override, greeter accepts strings 2, so the mirror install picks it. */
export const EXPECTED_MIRROR_INSTALL = { greeter: '1.0.0', strings: '2.0.0', colors: '1.0.0' };

function servedOk(ctx: DemoContext): number {
  return ctx.state.server?.served.get(200) ?? 0;
}

export const mirrorRegistry: DemoStep = {
  title: 'Mirror the registry and install from the mirror',
  async run(ctx) {
    const origin = registryUrls(ctx);
    ctx.command(`git clone ${LAYOUT.registry} ${LAYOUT.clone}`);
    await ctx.git(ctx.root, ['clone', '-q', '--no-local', LAYOUT.registry, LAYOUT.clone]);
    const mirror = await ctx.granary([
      'mirror',
      LAYOUT.clone,
      LAYOUT.mirror,
      '--assets',
      origin.assets,
      '--trust-key',
      ctx.state.publicKey ?? '',
      '--cache',
      `${LAYOUT.cache}/mirror`,
    ]);
    check(mirror.code === 0, described(mirror));
    for (const [id, sha] of ctx.state.published ?? []) {
      const [name, version] = id.split('@') as [string, string];
      const bytes = await readFile(ctx.path(`${LAYOUT.mirror}/assets/${name}/${name}-${version}.tar.gz`)).catch(
        () => undefined,
      );
      check(bytes && sha256Hex(bytes) === sha, `the mirror's copy of ${id} is ${bytes ? 'different' : 'missing'}`);
    }

    const server = await serveDirectory(ctx.path(LAYOUT.mirror));
    ctx.state.mirrorServer = server;
    ctx.note(`serve ${LAYOUT.mirror}/ over HTTP, on another port`);
    ctx.output(`mirror: ${server.url}/index/ and ${server.url}/assets/`);

    const mirrored = { index: `${server.url}/index`, assets: `${server.url}/assets` };
    const verify = await ctx.granary([
      'verify',
      '--registry',
      mirrored.index,
      '--assets',
      mirrored.assets,
      '--trust-key',
      ctx.state.publicKey ?? '',
      '--cache',
      FROM_MIRROR.cache,
    ]);
    check(verify.code === 0, `the mirror does not verify: ${described(verify)}`);

    const originBefore = servedOk(ctx);
    const install = await installGreeter(ctx, mirrored, FROM_MIRROR);
    check(install.code === 0, described(install));
    await checkInstalled(ctx, FROM_MIRROR, EXPECTED_MIRROR_INSTALL);
    check(
      servedOk(ctx) === originBefore,
      `the install from the mirror still read ${servedOk(ctx) - originBefore} file(s) from the origin`,
    );
    return `mirror at ${server.url}; installed ${Object.entries(EXPECTED_MIRROR_INSTALL)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')} from it`;
  },
};
