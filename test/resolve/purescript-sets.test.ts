// Real data: the PureScript registry converted into a Granary index. Skips (saying why) when ../shared is absent.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, openRegistryFromSource } from '../../client/registry.js';
import { resolve } from '../../client/resolve/resolve.js';
import type { OpenedSource } from '../../client/sources/opened-source.js';
import type { Registry, Resolution } from '../../client/types.js';
import { satisfies } from '../../core/ranges.js';
import {
  buildPurescriptIndex,
  loadPurescriptData,
  newestPackageSet,
  PURESCRIPT_DATA,
  signedIndexFiles,
  writeIndexFiles,
  type PackageSet,
} from '../../tools/bench/purescript-index.js';

const present = existsSync(PURESCRIPT_DATA);
if (!present) console.warn(`skipping the PureScript package-set checks: real data not found at ${PURESCRIPT_DATA}`);

/** Every dependency of every chosen line is satisfied by another chosen line. */
function unmetRanges(resolution: Resolution): string[] {
  const unmet: string[] = [];
  for (const l of resolution.packages.values()) {
    for (const [dep, range] of Object.entries(l.dependencies)) {
      const chosen = resolution.packages.get(dep);
      if (!chosen || !satisfies(chosen.version, range))
        unmet.push(`${l.name}@${l.version} needs ${dep} ${range}, got ${chosen?.version ?? 'nothing'}`);
    }
  }
  for (const r of resolution.roots)
    if (!resolution.packages.has(r.name) || !satisfies(resolution.packages.get(r.name)!.version, r.range))
      unmet.push(`request ${r.name}@${r.range}`);
  return unmet;
}

function memorySource(files: Map<string, string>): OpenedSource {
  return {
    kind: 'directory',
    description: 'converted PureScript index (bounds revised to the package set)',
    identity: 'memory:purescript-revised',
    locate: (path) => `memory:${path}`,
    resolveRelative: (p) => p,
    readFile: async (path) => (files.has(path) ? Buffer.from(files.get(path)!) : undefined),
  };
}

describe.skipIf(!present)(`the newest PureScript package set (real data from ${PURESCRIPT_DATA})`, () => {
  let dir: string;
  let set: PackageSet;
  let declared: Registry;
  let revised: Registry;
  let revisedLines = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'granary-purescript-'));
    set = await newestPackageSet();
    const data = await loadPurescriptData();
    await writeIndexFiles(await signedIndexFiles(buildPurescriptIndex(data).files), dir);
    declared = await openRegistry(dir, { cwd: dir });
    const withRevisions = buildPurescriptIndex(data, { reviseTo: set });
    revisedLines = withRevisions.revised;
    revised = await openRegistryFromSource(memorySource(await signedIndexFiles(withRevisions.files)), { cwd: dir });
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('resolves every package of the set on its own, at its set version, with the ranges as declared', async () => {
    expect(set.version).toBe('80.8.0');
    const failures: string[] = [];
    for (const [name, version] of Object.entries(set.packages)) {
      try {
        const resolution = await resolve(declared, [{ name, range: version }]);
        const unmet = unmetRanges(resolution);
        if (unmet.length > 0) failures.push(`${name}@${version}: ${unmet.join('; ')}`);
      } catch (error) {
        failures.push(`${name}@${version}: ${(error as Error).message}`);
      }
    }
    expect(Object.keys(set.packages).length).toBeGreaterThan(600);
    expect(failures).toEqual([]);
  });

  it('explains, with the declared ranges, why the whole set cannot be chosen at once', async () => {
    // The set's pins break some declared ranges (e.g. packages pinned with aff 8.0.0 that declare
    // aff <8.0.0), and no other choice of versions fits either: the solver must say why, in terms
    // of packages of the set.
    const error = await resolve(
      declared,
      Object.keys(set.packages).map((name) => ({ name, range: '*' })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/depends on/);
    expect(message).toMatch(/cannot be used together|cannot be used|requires/);
    expect(message.split('\n').length).toBeLessThan(40);
  });

  it('resolves all of the set together once its bounds are revised to the set, and every range holds', async () => {
    expect(revisedLines).toBeGreaterThan(0);
    const requests = Object.keys(set.packages).map((name) => ({ name, range: '*' }));
    const resolution = await resolve(revised, requests);
    expect(unmetRanges(resolution)).toEqual([]);
    for (const name of Object.keys(set.packages)) expect(resolution.packages.has(name)).toBe(true);
    // Same index, same answer.
    const again = await resolve(revised, requests);
    expect([...again.packages.values()].map((l) => `${l.name}@${l.version}`)).toEqual(
      [...resolution.packages.values()].map((l) => `${l.name}@${l.version}`),
    );
  });
});
