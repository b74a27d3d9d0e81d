/**
 * Whole-graph solvability on a registry the size of the real PureScript one: the gate resolves a new version
 * of a package with 30 or more packages in its dependency graph, reading every definition it needs from git
 * (target: under a second). The floor is the resolver alone, on the same lines already in memory.
 */
import { performance } from 'node:perf_hooks';
import { resolve } from '../../client/resolve/resolve.js';
import { registryAt } from '../../curator/curate/curate.js';
import { Git } from '../../curator/git/repository.js';
import { gitTree } from '../../curator/git/tree.js';
import { RegistryView } from '../../curator/validate/registry-view.js';
import { unsolvable, viewRegistry } from '../../curator/validate/solvability.js';
import type { IndexLine } from '../../schema/types.js';
import {
  buildPurescriptRegistry,
  hasPurescriptData,
  purescriptDataDir,
  skippedWithoutData,
} from './purescript-definitions.js';
import type { BenchResult } from './types.js';

const TARGET_MS = 1000;
const CANDIDATES = ['halogen', 'spec', 'argonaut', 'affjax', 'routing-duplex'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const dataDir = purescriptDataDir();
  if (!hasPurescriptData(dataDir)) return skippedWithoutData('whole-graph solvability', 'ms', dataDir);
  const built = await buildPurescriptRegistry(dataDir);
  const git = new Git(built.dir);
  try {
    const config = await registryAt(git.objects, 'HEAD');
    const open = async () => RegistryView.open(await gitTree(git, 'HEAD'), config);
    // The first candidate whose graph holds 30 packages or more.
    let chosen: { name: string; version: string; packages: number } | undefined;
    const probe = viewRegistry(await open());
    for (const name of CANDIDATES) {
      const view = await open();
      const version = view.versions(name).at(-1);
      if (version === undefined) continue;
      const resolution = await resolve(probe, [{ name, range: version }]).catch(() => undefined);
      if (resolution && resolution.packages.size >= 30) {
        chosen = { name, version, packages: resolution.packages.size };
        break;
      }
    }
    if (chosen === undefined) throw new Error(`none of ${CANDIDATES.join(', ')} has 30 packages in its graph`);
    const totals: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < 3; i++) {
      // A fresh view each time: every definition is read and parsed again, as in one gate run.
      const view = await open();
      let start = performance.now();
      const why = await unsolvable(viewRegistry(view), chosen.name, chosen.version);
      totals.push(performance.now() - start);
      if (why !== undefined) throw new Error(`${chosen.name}@${chosen.version} does not resolve: ${why}`);
      const memo = new Map<string, IndexLine[]>();
      const loaded = viewRegistry(view);
      for (const name of view.names()) memo.set(name, await loaded.lines(name));
      start = performance.now();
      await resolve({ source: { description: 'memory' }, lines: async (n) => memo.get(n) ?? [] }, [
        { name: chosen.name, range: chosen.version },
      ]);
      floors.push(performance.now() - start);
    }
    const value = median(totals);
    const floor = median(floors);
    return [
      {
        name: `whole-graph solvability of ${chosen.name}@${chosen.version} (${chosen.packages} packages in its graph, ${built.definitions} definitions)`,
        value,
        unit: 'ms',
        floor,
        ratio: value / floor,
        target: `< ${TARGET_MS} ms`,
        ok: value < TARGET_MS,
        note: 'floor: the resolver alone on lines in memory',
      },
    ];
  } finally {
    git.close();
    await built.remove();
  }
}
