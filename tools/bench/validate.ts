/**
 * How long `validateRegistry` takes on a registry the size of the real PureScript one, against
 * a floor measured in the same run: reading the same files from git (ls-tree + cat-file) and
 * parsing their YAML, with no rules at all.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadYaml } from '../../core/yaml.js';
import { deletedPaths } from '../../curator/git/history.js';
import { Git } from '../../curator/git/repository.js';
import { gitTree } from '../../curator/git/tree.js';
import { validateRegistry } from '../../curator/validate/index.js';
import type { BenchResult } from './types.js';
import {
  buildPurescriptRegistry,
  hasPurescriptData,
  purescriptDataDir,
  skippedWithoutData,
} from './purescript-definitions.js';

const TARGET_MS = 2000;
const RUNS = 3;

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const dataDir = purescriptDataDir();
  if (!hasPurescriptData(dataDir)) {
    return skippedWithoutData('validate-registry', 'ms', dataDir);
  }
  const registry = await buildPurescriptRegistry(dataDir);
  try {
    const floors: number[] = [];
    const totals: number[] = [];
    let problems = 0;
    let checked = 0;
    for (let i = 0; i < RUNS; i++) {
      floors.push(
        await timed(async () => {
          const git = new Git(registry.dir);
          try {
            const tree = await gitTree(git, 'HEAD');
            const entries = await tree.list('packages/');
            const texts = await Promise.all(entries.map((e) => tree.read(e.path)));
            for (const bytes of texts) if (bytes) loadYaml(bytes.toString('utf8'));
          } finally {
            git.close();
          }
        }),
      );
      totals.push(
        await timed(async () => {
          const git = new Git(registry.dir);
          try {
            const tree = await gitTree(git, 'HEAD');
            let deleted: Promise<Set<string>> | undefined;
            const report = await validateRegistry(tree, {
              history: { deletedDefinitions: () => (deleted ??= deletedPaths(git, tree.commit)) },
            });
            problems = report.problems.length;
            checked = report.checkedFiles;
          } finally {
            git.close();
          }
        }),
      );
    }
    const value = Math.round(median(totals));
    const floor = Math.round(median(floors));
    return [
      {
        name: 'validate-registry (PureScript, whole registry)',
        value,
        unit: 'ms',
        floor,
        ratio: Math.round((value / floor) * 100) / 100,
        target: `< ${TARGET_MS} ms`,
        ok: value < TARGET_MS,
        note: `${checked} files checked, ${problems} problems; ${registry.definitions} definitions converted, ${registry.skipped.length} skipped; median of ${RUNS} runs; floor = ls-tree + cat-file + YAML parse`,
      },
    ];
  } finally {
    await registry.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) {
    const parts = [`${r.name}: ${r.value} ${r.unit}`];
    if (r.floor !== undefined) parts.push(`floor ${r.floor} ${r.unit}`, `ratio ${r.ratio}x`);
    if (r.target) parts.push(`target ${r.target} ${r.ok ? 'ok' : 'MISSED'}`);
    console.log(parts.join(' | '));
    if (r.note) console.log(`  ${r.note}`);
  }
}
