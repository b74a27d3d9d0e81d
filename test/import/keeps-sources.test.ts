// Imported PureScript definitions pack what the PureScript registry packs: its includeFiles add to src/,
// the manifests, README and LICENSE, so a version whose includeFiles name only LICENSE keeps its sources.
// Sources shaped like the real versions that lost theirs (react-dnd-kit 0.1.0–0.6.0: ["LICENSE"];
// yoga-fetch-om: two src files; rough-notation 1.0.x: one string "src/**/*.purs src/**/*.js").
import { TEST_KEY } from '../helpers/keys.js';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { curate } from '../../curator/curate/curate.js';
import { importPurescript } from '../../curator/import/import-purescript.js';
import { createRegistry } from '../../curator/init/create-registry.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createRepo, gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

/** A PureScript package's repository, tagged v1.0.0: sources, FFI, tests, docs and tooling files. */
async function source(files: Record<string, string>) {
  const repo = await createRepo();
  const common = {
    'README.md': '# package\n',
    LICENSE: 'MIT\n',
    'spago.yaml': 'package:\n  name: x\n',
    'CHANGELOG.md': '# Changes\n',
    'test/Main.purs': 'module Test.Main where\n',
    'examples/Demo.purs': 'module Demo where\n',
    '.github/workflows/ci.yml': 'on: push\n',
    'package-lock.json': '{}\n',
  };
  for (const [path, text] of Object.entries({ ...common, ...files })) await repo.write(path, text);
  await repo.commit('sources');
  await repo.tag('v1.0.0');
  return pathToFileURL(repo.dir).href;
}

const purs = (module: string) => `module ${module} where\n`;

describe('granary import purescript keeps every source', () => {
  it('packs src/, the manifests, README and LICENSE plus each includeFiles, and leaves tests and tooling out', async () => {
    const dndSources = Object.fromEntries(
      Array.from({ length: 19 }, (_, i) => [`src/React/DndKit/M${i}.purs`, purs(`React.DndKit.M${i}`)]),
    );
    const packages = {
      'react-dnd-kit': { files: dndSources, includeFiles: ['LICENSE'] },
      'yoga-fetch-om': {
        files: {
          'src/Yoga/Om.purs': purs('Yoga.Om'),
          'src/Yoga/Om/Error.purs': purs('Yoga.Om.Error'),
          'src/Yoga/Fetch/Om.purs': purs('Yoga.Fetch.Om'),
        },
        includeFiles: ['src/Yoga/Om.purs', 'src/Yoga/Om/Error.purs'],
      },
      'rough-notation': {
        files: { 'src/RoughNotation.purs': purs('RoughNotation'), 'src/RoughNotation.js': 'export const x = 1;\n' },
        includeFiles: ['src/**/*.purs src/**/*.js'],
        excludeFiles: ['examples/*'],
      },
    };

    // The snapshot, in the PureScript layout.
    const snapshot = await tempDir();
    await mkdir(join(snapshot, 'metadata'), { recursive: true });
    for (const [name, p] of Object.entries(packages)) {
      await mkdir(join(snapshot, 'index', name.slice(0, 2), name.slice(2, 4)), { recursive: true });
      const manifest = {
        name,
        version: '1.0.0',
        license: 'MIT',
        location: { gitUrl: await source(p.files) },
        ref: 'v1.0.0',
        dependencies: {},
        includeFiles: p.includeFiles,
        ...('excludeFiles' in p ? { excludeFiles: p.excludeFiles } : {}),
      };
      await writeFile(
        join(snapshot, 'index', name.slice(0, 2), name.slice(2, 4), name),
        `${JSON.stringify(manifest)}\n`,
      );
    }

    const dir = join(await tempDir(), 'registry');
    await createRegistry(dir, { name: 'purescript', local: true });
    const settings = await readFile(join(dir, 'registry.yaml'), 'utf8');
    await writeFile(join(dir, 'registry.yaml'), `${settings}publicKey: ${TEST_KEY.publicKey}\n`);
    // A local registry allows file:// sources, as these are.
    const report = await importPurescript({ dir: snapshot, out: dir, owner: 'importer' });
    expect(report.skipped).toEqual([]);
    expect(report.packingDefaults).toBe(true);
    expect((parse(await readFile(join(dir, 'registry.yaml'), 'utf8')) as { files: unknown }).files).toMatchObject({
      include: expect.arrayContaining(['src', 'spago.yaml']),
    });
    // The pattern with a space became two patterns, added to the defaults.
    expect(parse(await readFile(join(dir, 'packages/rough-notation/1.0.0.yaml'), 'utf8')).files).toEqual({
      add: ['src/**/*.purs', 'src/**/*.js'],
      exclude: ['examples/*'],
    });
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-qm', 'Import');

    const store = join(dir, 'releases');
    const curated = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: dir,
      stores: [createFsStore(store)],
    });
    expect(curated.refused).toEqual([]);
    expect(curated.published).toHaveLength(3);
    const packed = (name: string) =>
      execFileSync('tar', ['-tzf', join(store, name, `${name}-1.0.0.tar.gz`)])
        .toString('utf8')
        .trim()
        .split('\n')
        .filter((p) => !p.endsWith('/'))
        .map((p) => p.slice(`${name}-1.0.0/`.length))
        .sort();
    const always = ['LICENSE', 'README.md', 'granary.json', 'spago.yaml'];
    expect(packed('react-dnd-kit')).toEqual([...always, ...Object.keys(dndSources)].sort());
    expect(packed('yoga-fetch-om')).toEqual(
      [...always, 'src/Yoga/Fetch/Om.purs', 'src/Yoga/Om.purs', 'src/Yoga/Om/Error.purs'].sort(),
    );
    expect(packed('rough-notation')).toEqual([...always, 'src/RoughNotation.js', 'src/RoughNotation.purs'].sort());
  });
});
