/** `npm run demo`: the whole Granary lifecycle on this machine, offline, in a few seconds. */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_STEPS } from './demo/steps/demo-steps.js';
import { websiteUrl } from './demo/steps/website.js';
import { runDemo } from './demo/run-demo.js';

const USAGE =
  "usage: npm run demo [-- --keep]\n  --keep  keep the demo's directory (the website inside it) and print its path\n";
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.some((a) => a !== '--keep')) {
  process.stderr.write(`unknown argument ${args.find((a) => a !== '--keep')}\n${USAGE}`);
  process.exit(2);
}
const keep = args.includes('--keep');
// The website outlives the demo's directory, so the address printed at the end can be opened; the next run rebuilds it.
const websiteDir = keep ? undefined : join(tmpdir(), 'granary-demo-website');

// Without --keep, everything goes under one parent that is removed even if the demo is interrupted.
const parent = keep ? undefined : await mkdtemp(join(tmpdir(), 'granary-demo-run-'));
const interrupted = (): void => {
  if (parent) rmSync(parent, { recursive: true, force: true });
  process.exit(130);
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);

let code = 1;
try {
  const result = await runDemo({
    log: (line) => console.log(line),
    keep,
    ...(parent ? { workDir: parent } : {}),
    ...(websiteDir ? { websiteDir } : {}),
  });
  console.log('');
  const failed = result.steps.find((s) => !s.ok);
  if (result.ok) {
    console.log(`All ${result.steps.length} steps did what they said. Total time: ${result.seconds.toFixed(1)} s.`);
  } else if (failed) {
    console.log(
      `The demo failed at step ${result.steps.indexOf(failed) + 1} (${failed.title}) after ${result.seconds.toFixed(1)} s:`,
    );
    console.log(`  ${failed.detail ?? 'no reason given'}`);
  } else {
    console.log(
      `The demo stopped after ${result.steps.length} of ${DEMO_STEPS.length} steps (${result.seconds.toFixed(1)} s).`,
    );
  }
  if (keep) console.log(`The demo's files are kept in ${result.dir}`);
  if (result.ok) {
    console.log(`The registry's website: ${websiteUrl(result.websiteDir)}`);
    console.log(`  or preview it over HTTP: npx granary site serve ${result.websiteDir}`);
  }
  code = result.ok ? 0 : 1;
} finally {
  if (parent) await rm(parent, { recursive: true, force: true });
}
process.exitCode = code;
// A step stopped by its time limit may leave work running; it must not keep the process alive.
setTimeout(() => process.exit(code), 1000).unref();
