// `npm prepare`: builds dist/ when the TypeScript compiler is installed (a development checkout, or
// npm preparing a git dependency, which installs devDependencies first). Without the compiler an
// existing dist/ is kept; with neither, it says how to get a runnable granary instead of failing later.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}
if (tsc !== undefined) {
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
if (existsSync(join(root, 'dist', 'cli', 'cli.js'))) process.exit(0);
console.error(
  'granary: this checkout is not built and its development dependencies are not installed.\n' +
    'Run `npm ci` inside the checkout (it builds dist/), then `npm link` or `npm install -g .`;\n' +
    'or install a packed release instead: `npm pack` in a built checkout, then `npm install -g ./granary-<version>.tgz`.',
);
process.exit(1);
