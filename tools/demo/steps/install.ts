/** Step 6: install greeter and its dependencies over HTTP through the client, pinned to the registry's key, then verify hashes. */
import { readFile, stat } from 'node:fs/promises';
import { check, described, LAYOUT, type DemoContext } from '../context.js';
import type { CliRun } from '../granary.js';
import type { DemoStep } from '../step.js';
import { registryUrls } from './serve.js';

/** Where one install puts things, relative to the demo directory. */
export interface InstallTarget {
  dir: string;
  lock: string;
  cache: string;
}

export const APP: InstallTarget = {
  dir: 'app/granary_packages',
  lock: 'app/granary.lock',
  cache: `${LAYOUT.cache}/app`,
};

export interface LockedPackage {
  version: string;
  sha256: string;
  size: number;
  asset: string;
}

/** `granary install greeter` from `urls` into `target`. */
export function installGreeter(
  ctx: DemoContext,
  urls: { index: string; assets: string },
  target: InstallTarget,
  show?: (line: string) => boolean,
): Promise<CliRun> {
  const trustKey = ctx.state.publicKey;
  check(trustKey, 'no public key to pin (step 1 did not run)');
  return ctx.granary(
    [
      'install',
      'greeter',
      '--registry',
      urls.index,
      '--assets',
      urls.assets,
      '--trust-key',
      trustKey,
      '--dir',
      target.dir,
      '--lock',
      target.lock,
      '--cache',
      target.cache,
    ],
    show,
  );
}

/** The packages a lockfile pins, name → entry. */
export async function readLocked(ctx: DemoContext, lock: string): Promise<Record<string, LockedPackage>> {
  const text = await readFile(ctx.path(lock), 'utf8').catch(() => undefined);
  check(text, `no lockfile at ${lock}`);
  const parsed = JSON.parse(text) as { packages?: Record<string, LockedPackage> };
  check(parsed.packages && typeof parsed.packages === 'object', `${lock} has no packages`);
  return parsed.packages;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Check that `expected` (name → version) is what the lockfile pins, with the hashes curate published, and that each package is on disk. */
export async function checkInstalled(
  ctx: DemoContext,
  target: InstallTarget,
  expected: Record<string, string>,
): Promise<Record<string, LockedPackage>> {
  const locked = await readLocked(ctx, target.lock);
  check(
    Object.keys(locked).sort().join(' ') === Object.keys(expected).sort().join(' '),
    `${target.lock} pins ${Object.keys(locked).join(', ')}, expected ${Object.keys(expected).join(', ')}`,
  );
  for (const [name, version] of Object.entries(expected)) {
    const entry = locked[name]!;
    check(entry.version === version, `${target.lock} pins ${name}@${entry.version}, expected ${version}`);
    const published = ctx.state.published?.get(`${name}@${version}`);
    check(
      published && entry.sha256 === published,
      `${target.lock} pins ${name}@${version} with sha256 ${entry.sha256}, curate published ${published}`,
    );
    check(await isDirectory(ctx.path(`${target.dir}/${name}`)), `${name} was not extracted into ${target.dir}/${name}`);
    const manifest = JSON.parse(
      await readFile(ctx.path(`${target.dir}/${name}/granary.json`), 'utf8').catch(() => '{}'),
    ) as { version?: string };
    check(
      manifest.version === version,
      `${target.dir}/${name}/granary.json says version ${manifest.version}, expected ${version}`,
    );
  }
  return locked;
}

export const EXPECTED_FIRST_INSTALL = { greeter: '1.0.0', strings: '1.1.0', colors: '1.0.0' };

export const installAndVerify: DemoStep = {
  title: 'Install greeter with its dependencies and verify hashes',
  async run(ctx) {
    const urls = registryUrls(ctx);
    const install = await installGreeter(ctx, urls, APP);
    check(install.code === 0, described(install));
    await checkInstalled(ctx, APP, EXPECTED_FIRST_INSTALL);

    ctx.command(`cat ${APP.lock}`);
    ctx.output(await readFile(ctx.path(APP.lock), 'utf8'), Infinity);

    const verify = await ctx.granary(['verify', '--lock', APP.lock, '--assets', urls.assets, '--cache', APP.cache]);
    check(verify.code === 0, described(verify));
    return `installed ${Object.entries(EXPECTED_FIRST_INSTALL)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')}; hashes verified`;
  },
};
