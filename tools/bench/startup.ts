/**
 * Start-up of the built command line: wall time of `node bin/granary.js --version`, `--help` and
 * `info NAME --registry DIR` (a small signed local index built by tools/bench/disk-registry.ts,
 * read from a directory source) against the floor of `node -e 0`, each a fresh process, median of RUNS.
 * The runs interleave (floor, --version, --help, info; again), so all see the machine in the same
 * state. Each command also reports how many modules it loaded (counted with a module `load` hook in a
 * separate, untimed run), so a regression names what it pulled in.
 *
 * It runs dist/, not the sources: when dist/cli/cli.js is missing or older than a source file it
 * builds it first (`tsc -p tsconfig.build.json`) and says so.
 *
 * `npx tsx tools/bench/startup.ts`
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRegistry, type RegistryPackage } from './disk-registry.js';
import type { BenchResult } from './types.js';

const RUNS = 9;
const PACKAGES = 20;
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'granary.js');
const builtCli = join(root, 'dist', 'cli', 'cli.js');
/** What tsconfig.build.json compiles into dist/. */
const SOURCE_DIRS = ['core', 'schema', 'curator', 'client', 'cli'];

/**
 * Prints `@@load URL` on stderr for every module as it loads. A `load` hook sees every ES module and
 * every CommonJS module imported from one (not what CommonJS code require()s after that). It writes
 * with writeSync from the hooks thread, so nothing is lost when the process exits.
 */
const LOAD_HOOK = `import { writeSync } from 'node:fs'; export async function load(url, context, next) { const r = await next(url, context); writeSync(2, '@@load ' + url + '\\n'); return r; }`;
const COUNT_MODULES = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(LOAD_HOOK)}`)});`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Build dist/ when it is missing or older than the sources; returns what happened, for the notes. */
function ensureBuilt(): string {
  const missing = !existsSync(builtCli);
  const stale = !missing && SOURCE_DIRS.some((d) => newestSource(join(root, d)) > statSync(builtCli).mtimeMs);
  if (!missing && !stale) return 'dist/ up to date';
  console.log(
    `  dist/ is ${missing ? 'missing' : 'older than the sources'}: building it (tsc -p tsconfig.build.json)…`,
  );
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    { cwd: root, encoding: 'utf8' },
  );
  if (!existsSync(builtCli))
    throw new Error(`dist/ is missing and the build did not produce dist/cli/cli.js:\n${tsc.stdout}${tsc.stderr}`);
  if (tsc.status !== 0)
    console.log(
      `  warning: tsc reported errors (dist/ was still written; measuring it):\n${tsc.stdout.trim().split('\n').slice(0, 5).join('\n')}`,
    );
  return `dist/ ${missing ? 'was missing' : 'was stale'}: rebuilt before measuring`;
}

interface Case {
  name: string;
  args: string[];
  /** Checked once before timing, so the figure is of a run that works. */
  expect: RegExp;
  /** The largest ratio to the floor that passes. */
  target: number;
  note?: string;
}

function spawnNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  execArgv: string[] = [],
): { ms: number; status: number | null; stdout: string; stderr: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...execArgv, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** How many modules a command loads, and how many of those come from node_modules. */
function modulesLoaded(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnNode(args, env, ['--import', `data:text/javascript,${encodeURIComponent(COUNT_MODULES)}`]);
  const urls = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('@@load file:'))
    .map((l) => l.slice('@@load '.length));
  if (urls.length === 0) return 'modules loaded: not counted';
  const packages = new Set(
    urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => p !== undefined),
  );
  const own = urls.filter((u) => !u.includes('/node_modules/')).length;
  return `${urls.length} modules loaded: ${own} of granary, ${urls.length - own} from ${packages.size} package(s)${packages.size > 0 ? ` (${[...packages].sort().join(', ')})` : ''}`;
}

export async function run(): Promise<BenchResult[]> {
  const build = ensureBuilt();
  const work = await mkdtemp(join(tmpdir(), 'granary-bench-startup-'));
  try {
    const packages: RegistryPackage[] = Array.from({ length: PACKAGES }, (_, i) => ({
      name: `pkg-${String(i).padStart(2, '0')}`,
      version: `1.${i}.0`,
      ...(i > 0 ? { dependencies: { [`pkg-${String(i - 1).padStart(2, '0')}`]: '^1.0.0' } } : {}),
    }));
    // A second version of the package `info` shows, so it lists more than one.
    packages.push({ name: 'pkg-07', version: '2.0.0', dependencies: { 'pkg-06': '^1.0.0' } });
    const registry = await buildRegistry(join(work, 'registry'), packages);
    const cache = join(work, 'cache');
    // No inherited registry, key or cache: the flags say everything, and nothing is written outside `work`.
    // No user configuration file either: what this machine's user keeps there must not change the figures.
    const env: NodeJS.ProcessEnv = { ...process.env, GRANARY_CACHE: cache, GRANARY_CONFIG: '/dev/null' };
    for (const k of ['GRANARY_REGISTRY', 'GRANARY_TRUST_KEY', 'GRANARY_TRUST_ROOT', 'GRANARY_JOBS', 'NODE_OPTIONS'])
      delete env[k];

    const floorCase: Case = { name: 'node -e 0', args: ['-e', '0'], expect: /^$/, target: 1 };
    const cases: Case[] = [
      { name: 'granary --version', args: [bin, '--version'], expect: /^\d+\.\d+\.\d+/, target: 2 },
      { name: 'granary --help', args: [bin, '--help'], expect: /^Usage: granary /, target: 2 },
      {
        name: 'granary info NAME --registry DIR',
        args: [
          bin,
          'info',
          'pkg-07',
          '--registry',
          registry.indexDir,
          '--trust-key',
          registry.publicKey,
          '--cache',
          cache,
        ],
        expect: /^pkg-07 2\.0\.0\n/,
        target: 3,
        note: `a signed directory index of ${packages.length} versions, key pinned`,
      },
    ];
    for (const c of [floorCase, ...cases]) {
      const r = spawnNode(c.args, env);
      if (r.status !== 0 || !c.expect.test(r.stdout))
        throw new Error(`${c.name} did not work (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    }

    const times = new Map<Case, number[]>([floorCase, ...cases].map((c) => [c, []]));
    for (let r = 0; r < RUNS; r++) for (const c of [floorCase, ...cases]) times.get(c)!.push(spawnNode(c.args, env).ms);

    const floor = median(times.get(floorCase)!);
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`;
    const results: BenchResult[] = [
      {
        name: 'node -e 0 (the floor)',
        value: floor,
        unit: 'ms',
        note: `a fresh process, median of ${RUNS}; ${build}; ${load}`,
      },
    ];
    for (const c of cases) {
      const value = median(times.get(c)!);
      const ratio = value / floor;
      results.push({
        name: c.name,
        value,
        unit: 'ms',
        floor,
        ratio,
        target: `ratio <= ${c.target}`,
        ok: ratio <= c.target,
        note: [c.note, `median of ${RUNS}`, modulesLoaded(c.args, env)].filter(Boolean).join('; '),
      });
    }
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(
      `${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.floor !== undefined ? `  floor ${r.floor.toFixed(1)} ${r.unit}  ratio ${r.ratio!.toFixed(2)}x` : ''}${r.target ? `  target ${r.target} ${r.ok ? 'ok' : 'MISSED'}` : ''}${r.note ? `  (${r.note})` : ''}`,
    );
}
