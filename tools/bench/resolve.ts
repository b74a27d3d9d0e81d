/**
 * Resolution on real data: the PureScript registry converted into a Granary index (see
 * purescript-index.ts) and read from a directory source, in-process. The index is loaded once
 * before timing (every package file read, hashed against the snapshot and parsed), so the figures
 * are the solver's own time. Floor: reading and parsing (no hashing) every index file the
 * resolution touches, cold, measured in the same run.
 *
 * `npx tsx tools/bench/resolve.ts`
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexPath } from '../../core/index-path.js';
import { parseIndexFile } from '../../core/index-line.js';
import { openRegistry } from '../../client/registry.js';
import { resolve } from '../../client/resolve/resolve.js';
import type { Registry } from '../../client/types.js';
import {
  buildPurescriptIndex,
  loadPurescriptData,
  newestPackageSet,
  PURESCRIPT_DATA,
  signedIndexFiles,
  writeIndexFiles,
} from './purescript-index.js';
import type { BenchResult } from './types.js';

/** A registry that records which packages a resolution reads. */
function touching(registry: Registry, touched: Set<string>): Registry {
  return { ...registry, lines: (name) => (touched.add(name), registry.lines(name)) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function readAndParse(dir: string, names: Iterable<string>): Promise<number> {
  const start = performance.now();
  for (const name of names) {
    const path = indexPath(name);
    const full = join(dir, path);
    if (existsSync(full)) parseIndexFile(await readFile(full, 'utf8'), path, name);
  }
  return performance.now() - start;
}

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(PURESCRIPT_DATA))
    return [{ name: 'resolve', value: 0, unit: 'ms', note: `skipped: real data not found at ${PURESCRIPT_DATA}` }];
  const dir = await mkdtemp(join(tmpdir(), 'granary-bench-resolve-'));
  try {
    const set = await newestPackageSet();
    const data = await loadPurescriptData();
    const declaredDir = join(dir, 'declared');
    const revisedDir = join(dir, 'revised');
    await writeIndexFiles(await signedIndexFiles(buildPurescriptIndex(data).files), declaredDir);
    const revised = buildPurescriptIndex(data, { reviseTo: set });
    await writeIndexFiles(await signedIndexFiles(revised.files), revisedDir);
    const registry = await openRegistry(declaredDir, { cwd: dir });
    const revisedRegistry = await openRegistry(revisedDir, { cwd: dir });
    const names = Object.keys(set.packages).sort();
    const pinned = names.map((name) => ({ name, range: set.packages[name]! }));
    // Each package alone at its set version, with the ranges as declared. Together, the set's pins
    // break some declared ranges (see docs/client.md), so the whole set is resolved on the index with
    // those bounds revised, every package requested by name: the solver chooses all the versions.
    const whole = names.map((name) => ({ name, range: '*' }));
    // Warm up: load every file the resolutions touch, and let the JIT settle.
    const touchedAll = new Set<string>();
    await resolve(touching(revisedRegistry, touchedAll), whole);
    for (const r of pinned) await resolve(registry, [r]);

    const per: number[] = [];
    const perFloor: number[] = [];
    for (const r of pinned) {
      const touched = new Set<string>();
      const t0 = performance.now();
      await resolve(touching(registry, touched), [r]);
      per.push(performance.now() - t0);
      perFloor.push(await readAndParse(declaredDir, touched));
    }
    per.sort((a, b) => a - b);
    perFloor.sort((a, b) => a - b);

    const wholeRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await resolve(revisedRegistry, whole);
      wholeRuns.push(performance.now() - t0);
    }
    wholeRuns.sort((a, b) => a - b);
    const wholeFloor = await readAndParse(revisedDir, touchedAll);

    const p50 = percentile(per, 50);
    const p95 = percentile(per, 95);
    const w = wholeRuns[2]!;
    const note = `${names.length} packages of set ${set.version}; index preloaded from a directory source`;
    return [
      {
        name: 'one package-set package (its set version), median',
        value: p50,
        unit: 'ms',
        floor: percentile(perFloor, 50),
        ratio: p50 / percentile(perFloor, 50),
        note,
      },
      {
        name: 'one package-set package (its set version), p95',
        value: p95,
        unit: 'ms',
        floor: percentile(perFloor, 95),
        ratio: p95 / percentile(perFloor, 95),
        target: '< 20 ms',
        ok: p95 < 20,
      },
      {
        name: 'whole package set at once',
        value: w,
        unit: 'ms',
        floor: wholeFloor,
        ratio: w / wholeFloor,
        target: '< 500 ms',
        ok: w < 500,
        note: `every set package by name, ${revised.revised} lines' bounds revised to the set; median of 5; floor reads and parses the ${touchedAll.size} index files it touches`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(
      `${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.floor !== undefined ? `  floor ${r.floor.toFixed(2)} ${r.unit}  ratio ${r.ratio!.toFixed(2)}x` : ''}${r.target ? `  target ${r.target} ${r.ok ? 'ok' : 'MISSED'}` : ''}${r.note ? `  (${r.note})` : ''}`,
    );
}
