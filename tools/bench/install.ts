/**
 * Install of 100 packages from a loopback HTTP registry, against the floor of `curl` + `sha256sum` +
 * `tar -x` for the same files with the same parallelism (`xargs -P 8`), and warm-cache reinstall.
 * The server runs in a child process. The install runs in-process (the real openRegistry, resolve,
 * download, verify and extract; no Node start-up), cold: a fresh cache and an empty target directory
 * every run. The warm reinstall installs the lockfile into an empty directory from a full cache: every
 * package verified and extracted again.
 *
 * `npx tsx tools/bench/install.ts`
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { install } from '../../client/install.js';
import { openRegistry } from '../../client/registry.js';
import { parseSpec, resolve } from '../../client/resolve/resolve.js';
import { buildRegistry, type RegistryPackage } from './disk-registry.js';
import type { BenchResult } from './types.js';

const PACKAGES = 100;
const JOBS = 8;
const RUNS = 5;
const WORDS =
  'const let function return import export from default class extends new this await async if else for while of in try catch throw value result options name version error path file data index list map set'.split(
    ' ',
  );

/** A deterministic pseudo-random generator, so every run packs the same bytes. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Source-like files: 4–40 per package, 200 B – 12 kB each (about 30 kB packed on average, like a typical library). */
function packageFiles(i: number): Record<string, string> {
  const rand = prng(i + 1);
  const files: Record<string, string> = { 'README.md': `# pkg-${i}\n\nA package for the install benchmark.\n` };
  const count = 4 + Math.floor(rand() * 36);
  for (let f = 0; f < count; f++) {
    const size = 200 + Math.floor(rand() ** 2 * 12_000);
    let text = '';
    while (text.length < size) {
      const line = Array.from(
        { length: 3 + Math.floor(rand() * 8) },
        () => WORDS[Math.floor(rand() * WORDS.length)],
      ).join(' ');
      text += `  ${line} ${Math.floor(rand() * 1000)};\n`;
    }
    files[`src/${f % 4 === 0 ? 'lib/' : ''}module-${f}.js`] = text;
  }
  return files;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The demo's loopback static server (tools/demo/static-server.ts) in its own process, as a real registry
 * would be: its work is not counted in the client's time, for granary and the floor alike.
 */
async function serveInChild(root: string): Promise<{ url: string; close(): void }> {
  const helper = new URL('../demo/static-server.ts', import.meta.url).href;
  const code = `const { serveDirectory } = await import(${JSON.stringify(helper)}); const s = await serveDirectory(process.argv[1]); process.stdout.write(s.url + '\\n');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) done(out.trim());
    });
    child.on('exit', (code) => fail(new Error(`the static server exited with ${code}`)));
  });
  return { url, close: () => void child.kill() };
}

function runShell(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn('sh', ['-c', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done(performance.now() - started) : fail(new Error(`floor script exited with ${code}`)),
    );
  });
}

export async function run(): Promise<BenchResult[]> {
  const missing = ['curl', 'sha256sum', 'tar', 'xargs'].filter((t) => !has(t));
  const work = await mkdtemp(join(tmpdir(), 'granary-bench-install-'));
  const packages: RegistryPackage[] = Array.from({ length: PACKAGES }, (_, i) => ({
    name: `pkg-${String(i).padStart(3, '0')}`,
    version: '1.0.0',
    files: packageFiles(i),
  }));
  const registry = await buildRegistry(join(work, 'registry'), packages);
  const server = await serveInChild(join(work, 'registry'));
  try {
    const lines = registry.lines;
    const totalBytes = lines.reduce((n, l) => n + l.size, 0);
    const fileCount = Array.from({ length: PACKAGES }, (_, i) => Object.keys(packageFiles(i)).length + 1).reduce(
      (a, b) => a + b,
      0,
    );
    const specs = lines.map((l) => l.name);
    const deps = { openRegistry, resolve, parseSpec };
    let cpuMs = 0;
    const installOnce = async (tag: string, cacheDir: string, withSpecs: boolean, project: string): Promise<number> => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      await install(
        {
          cwd: project,
          specs: withSpecs ? specs : [],
          registry: `${server.url}/index`,
          trustKey: registry.publicKey,
          cacheDir,
          jobs: JOBS,
          dir: `packages-${tag}`,
        },
        deps,
      );
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
      return performance.now() - started;
    };

    // Same files, same parallelism: download, check the hash, unpack (stripping the top directory).
    await writeFile(
      join(work, 'list.txt'),
      lines.map((l) => `${server.url}/assets/${l.asset} ${l.sha256} ${l.name}`).join('\n') + '\n',
    );
    const script = `xargs -P ${JOBS} -L 1 sh -c 'f="$D/$3.tar.gz"; curl -sSf -o "$f" "$1" && echo "$2  $f" | sha256sum -c --quiet - && mkdir -p "$O/$3" && tar -xzf "$f" -C "$O/$3" --strip-components=1' _ < "$L"`;
    const curlFloor = async (r: number): Promise<number> => {
      const d = join(work, `floor-dl-${r}`);
      const o = join(work, `floor-out-${r}`);
      await mkdir(d);
      await mkdir(o);
      return runShell(script, { D: d, O: o, L: join(work, 'list.txt') });
    };
    // Only writing the same files into fresh directories, nothing else: what any extraction costs here.
    const writeFloor = (r: number): number => {
      const started = performance.now();
      for (let i = 0; i < PACKAGES; i++) {
        const root = join(work, `write-floor-${r}`, `pkg-${i}`);
        for (const [path, text] of Object.entries({ ...packageFiles(i), 'granary.json': '{}\n' })) {
          mkdirSync(dirname(join(root, path)), { recursive: true });
          writeFileSync(join(root, path), text, { flag: 'wx' });
        }
      }
      return performance.now() - started;
    };

    // Each measurement alternates with its floor, run by run, so both see the machine in the same state.
    const cold: number[] = [];
    const floors: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const project = join(work, `project-${r}`);
      await mkdir(project);
      cold.push(await installOnce('cold', join(work, `cache-${r}`), true, project));
      if (missing.length === 0) floors.push(await curlFloor(r));
    }
    // Warm reinstall: the lockfile of run 0 into an empty directory, from the full cache.
    const warm: number[] = [];
    const warmCpu: number[] = [];
    const writes: number[] = [];
    const noop: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      warm.push(await installOnce(`warm-${r}`, join(work, 'cache-0'), false, join(work, 'project-0')));
      warmCpu.push(cpuMs);
      writes.push(writeFloor(r));
      noop.push(await installOnce(`warm-${r}`, join(work, 'cache-0'), false, join(work, 'project-0')));
    }
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`;

    const results: BenchResult[] = [];
    const coldMedian = median(cold);
    const note = `${PACKAGES} packages, ${fileCount} files, ${(totalBytes / 1024).toFixed(0)} KiB of tarballs, loopback HTTP server in a child process, ${JOBS} jobs, in-process (no Node start-up), median of ${RUNS}`;
    if (missing.length > 0) {
      results.push({
        name: 'install 100 packages, cold',
        value: coldMedian,
        unit: 'ms',
        note: `${note}; no floor: ${missing.join(', ')} not found on this machine`,
      });
    } else {
      const floor = median(floors);
      results.push({
        name: 'install 100 packages, cold',
        value: coldMedian,
        unit: 'ms',
        floor,
        ratio: coldMedian / floor,
        target: 'ratio <= 1.5',
        ok: coldMedian / floor <= 1.5,
        note: `${note}; floor: curl + sha256sum + tar -x per file under xargs -P ${JOBS}; ${load}`,
      });
    }
    const warmMedian = median(warm);
    const writeMedian = median(writes);
    results.push({
      name: 'warm-cache reinstall of 100 packages from the lockfile',
      value: warmMedian,
      unit: 'ms',
      floor: writeMedian,
      ratio: warmMedian / writeMedian,
      target: '< 200 ms',
      ok: warmMedian < 200,
      note: `in-process; empty target directory, every tarball re-hashed and extracted from the cache; median of ${RUNS}; CPU time ${median(warmCpu).toFixed(0)} ms; floor: only writing the same ${fileCount} files with writeFileSync; ${load}`,
    });
    results.push({
      name: 'reinstall when already installed (nothing to do)',
      value: median(noop),
      unit: 'ms',
      note: 'in-process; index revalidated, packages found in place',
    });
    return results;
  } finally {
    server.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(
      `${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.floor !== undefined ? `  floor ${r.floor.toFixed(1)} ${r.unit}  ratio ${r.ratio!.toFixed(2)}x` : ''}${r.target ? `  target ${r.target} ${r.ok ? 'ok' : 'MISSED'}` : ''}${r.note ? `  (${r.note})` : ''}`,
    );
}
