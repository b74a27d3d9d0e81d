/** Step 1: `granary init --local`, a signing key, and the key and a trustee committed to registry.yaml. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { check, described, LAYOUT, type DemoContext } from '../context.js';
import type { DemoStep } from '../step.js';

/** The trustee who approves bound fixes in step 7. */
export const TRUSTEE = 'tess';

async function pinKeyAndTrustee(ctx: DemoContext, publicKey: string): Promise<void> {
  const file = ctx.path(`${LAYOUT.registry}/registry.yaml`);
  const doc = parseDocument(await readFile(file, 'utf8'));
  doc.set('trustees', [TRUSTEE]);
  doc.set('publicKey', publicKey);
  await writeFile(file, doc.toString({ lineWidth: 0 }));
}

export const createRegistry: DemoStep = {
  title: 'Create a registry and its signing key',
  async run(ctx) {
    const init = await ctx.granary(
      ['init', '--local', '--name', 'demo', LAYOUT.registry],
      (l) => !l.startsWith('  .github') && !l.startsWith('next:'),
    );
    check(init.code === 0, described(init));

    ctx.command(`mkdir ${LAYOUT.keys}`);
    await mkdir(ctx.path(LAYOUT.keys), { recursive: true });
    const keygen = await ctx.granary(['keygen', '--out', LAYOUT.signingKey]);
    check(keygen.code === 0, described(keygen));
    const publicKey = (await readFile(ctx.path(`${LAYOUT.signingKey}.pub`), 'utf8')).trim();
    check(
      /^ed25519:[A-Za-z0-9+/]{43}=$/.test(publicKey),
      `keygen wrote no usable public key: ${JSON.stringify(publicKey.slice(0, 80))}`,
    );
    ctx.state.publicKey = publicKey;

    ctx.note(`edit ${LAYOUT.registry}/registry.yaml: publicKey: ${publicKey}, trustees: [${TRUSTEE}]`);
    await pinKeyAndTrustee(ctx, publicKey);
    ctx.command(`git -C ${LAYOUT.registry} commit -am 'Pin the index signing key and name the trustees'`);
    await ctx.git.commit(ctx.path(LAYOUT.registry), [
      'commit',
      '-q',
      '-a',
      '-m',
      'Pin the index signing key and name the trustees',
    ]);

    const committed = await ctx.git(ctx.path(LAYOUT.registry), ['show', 'main:registry.yaml']);
    check(committed.includes(`publicKey: ${publicKey}`), 'registry.yaml on main does not carry the public key');
    const valid = await ctx.granary(['validate', '--repo', LAYOUT.registry]);
    check(valid.code === 0, `the new registry does not validate: ${described(valid)}`);
    return `registry at ${LAYOUT.registry}/ on main, index signed by ${publicKey}`;
  },
};
