/** Step 8: one byte of a served tarball changed; a fresh install refuses it before extracting anything. */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { check, described, LAYOUT } from '../context.js';
import type { DemoStep } from '../step.js';
import { installGreeter, type InstallTarget } from './install.js';
import { storedAsset } from './merge-and-curate.js';
import { registryUrls } from './serve.js';

export const TAMPERED: InstallTarget = {
  dir: 'app-fresh/granary_packages',
  lock: 'app-fresh/granary.lock',
  cache: `${LAYOUT.cache}/fresh`,
};

async function entries(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

/** Flip one byte in the middle of `file`; returns the original bytes. */
export async function flipOneByte(file: string): Promise<Buffer> {
  const original = await readFile(file);
  const changed = Buffer.from(original);
  const at = Math.floor(changed.length / 2);
  changed[at] = changed[at]! ^ 0xff;
  await writeFile(file, changed);
  return original;
}

export const tamperedAsset: DemoStep = {
  title: 'A tampered asset is refused',
  async run(ctx) {
    const asset = storedAsset(ctx, 'greeter', '1.0.0');
    ctx.note(`change one byte of ${LAYOUT.store}/greeter/greeter-1.0.0.tar.gz, as a compromised server could`);
    const original = await flipOneByte(asset);
    try {
      const install = await installGreeter(ctx, registryUrls(ctx), TAMPERED);
      check(install.code === 1, `the install should fail with exit 1: ${described(install)}`);
      const reason = install.text.split('\n').find((l) => /integrity/i.test(l) && l.includes('greeter@1.0.0'));
      check(reason, `the install failed without an integrity error naming greeter@1.0.0: ${described(install)}`);
      const extracted = (await entries(ctx.path(TAMPERED.dir))).filter((e) => !e.startsWith('.'));
      check(extracted.length === 0, `the failed install left ${extracted.join(', ')} in ${TAMPERED.dir}`);
      const staging = (await entries(ctx.path(TAMPERED.dir))).filter((e) => e.startsWith('.granary-staging'));
      check(staging.length === 0, `the failed install left ${staging.join(', ')} behind`);
      return reason.trim();
    } finally {
      ctx.note(`put the original ${LAYOUT.store}/greeter/greeter-1.0.0.tar.gz back`);
      await writeFile(asset, original);
    }
  },
};
