/** Step 7: a trustee-approved override widens greeter's bound; the index line gets revision 2, the tarball stays byte for byte. */
import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../../../core/hash.js';
import { indexPath } from '../../../core/index-path.js';
import { parseIndexFile } from '../../../core/index-line.js';
import { check, described } from '../context.js';
import type { DemoStep } from '../step.js';
import { curate, storedAsset } from './merge-and-curate.js';
import { commitOnBranch, mergePr, validatePr, type PullRequest } from './pull-requests.js';
import { exportIndex, registryUrls } from './serve.js';
import { APP } from './install.js';

export const OVERRIDE_PR: PullRequest = {
  number: 3,
  branch: 'bob/greeter-strings-2',
  author: 'bob',
  title: 'greeter 1.0.0 works with strings 2',
};
export const WIDENED_RANGE = '^1.0.0 || ^2.0.0';

const OVERRIDE_FILE = 'overrides/greeter/1.0.0.yaml';
const OVERRIDE = [
  'reason: greeter only calls upper(text), which strings 2.0.0 keeps',
  'dependencies:',
  `  strings: "${WIDENED_RANGE}"`,
  '  colors: "^1.0.0"',
  '',
].join('\n');

export const trusteeOverride: DemoStep = {
  title: 'A trustee override changes a bound: revision 2, same tarball',
  async run(ctx) {
    const before = await readFile(storedAsset(ctx, 'greeter', '1.0.0'));

    await commitOnBranch(ctx, OVERRIDE_PR, { [OVERRIDE_FILE]: OVERRIDE }, OVERRIDE_PR.title, true, true);
    const refused = await validatePr(ctx, OVERRIDE_PR);
    check(refused.code === 1, `an override without a trustee's approval should be refused: ${described(refused)}`);
    check(refused.text.includes(OVERRIDE_FILE), `the refusal does not name ${OVERRIDE_FILE}: ${described(refused)}`);
    const approved = await validatePr(ctx, OVERRIDE_PR, ['--trustee']);
    check(approved.code === 0, `the override should pass once a trustee approves: ${described(approved)}`);

    await mergePr(ctx, OVERRIDE_PR);
    const { run } = await curate(ctx);
    check(run.code === 0, described(run));
    await exportIndex(ctx);

    const { index } = registryUrls(ctx);
    const info = await ctx.granary([
      'info',
      'greeter',
      '--registry',
      index,
      '--trust-key',
      ctx.state.publicKey ?? '',
      '--cache',
      APP.cache,
    ]);
    check(info.code === 0, described(info));

    const lineUrl = `${index}/${indexPath('greeter')}`;
    ctx.command(`curl ${lineUrl}`);
    const response = await fetch(lineUrl);
    check(response.status === 200, `GET ${lineUrl} answered ${response.status}`);
    const text = await response.text();
    ctx.output(text);
    const line = parseIndexFile(text, lineUrl, 'greeter').find((l) => l.version === '1.0.0');
    check(line, `the index has no greeter@1.0.0 line`);
    check(line.revision === 2, `greeter@1.0.0 is at revision ${line.revision}, expected 2`);
    check(
      line.dependencies['strings'] === WIDENED_RANGE,
      `greeter@1.0.0 depends on strings ${line.dependencies['strings']}, expected ${WIDENED_RANGE}`,
    );
    const published = ctx.state.published?.get('greeter@1.0.0');
    check(line.sha256 === published, `the index line's sha256 changed: ${line.sha256}, published ${published}`);

    const after = await readFile(storedAsset(ctx, 'greeter', '1.0.0'));
    check(before.equals(after), 'the greeter tarball in the store changed');
    check(sha256Hex(after) === published, 'the greeter tarball no longer matches its published sha256');
    return `greeter@1.0.0 revision 2: strings ${WIDENED_RANGE}; tarball unchanged (sha256 ${published?.slice(0, 16)}…)`;
  },
};
