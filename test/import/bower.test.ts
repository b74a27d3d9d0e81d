// `granary import bower`: the legacy Bower list becomes definitions, one per SemVer tag, from each tag's
// bower.json; what cannot be imported is reported per package, and a second run takes up what failed.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { createRegistry } from '../../curator/init/create-registry.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

/** A Bower package's repository with one commit and tag per `versions` entry (its bower.json). */
async function bowerRepo(versions: Array<{ tag: string; bower: Record<string, unknown> | string }>) {
  const repo = await createRepo();
  for (const v of versions) {
    await repo.write('bower.json', typeof v.bower === 'string' ? v.bower : JSON.stringify(v.bower, null, 2));
    await repo.write('src/Main.purs', `module Main where -- ${v.tag}\n`);
    await repo.commit(v.tag);
    await repo.tag(v.tag);
  }
  return repo.dir;
}

/** A loopback port that was free a moment ago and is closed now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function run(argv: string[], cwd: string) {
  const io = memoryIo({ cwd });
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('granary import bower', () => {
  it('imports each SemVer tag, reports each package, and a rerun takes up what is not in the registry yet', async () => {
    const root = await tempDir();
    const arrays = await bowerRepo([
      { tag: 'v1.0.0', bower: { name: 'purescript-arrays', license: 'MIT', description: 'Arrays' } },
      {
        tag: 'v1.1.0',
        // Written in normal form: ">=1.0.0 <2.0.0".
        bower: {
          name: 'purescript-arrays',
          license: ['MIT'],
          dependencies: { 'purescript-prelude': '>= 1.0.0  < 2.0.0' },
        },
      },
      { tag: 'not-a-version', bower: { license: 'MIT' } },
      { tag: 'v2.0.0', bower: { name: 'purescript-arrays', dependencies: {} } },
      {
        tag: 'v3.0.0',
        bower: { license: 'MIT', dependencies: { 'purescript-prelude': 'git://github.com/x/y.git#master' } },
      },
    ]);
    const prelude = await bowerRepo([{ tag: '1.0.0', bower: { license: 'BSD-3-Clause' } }]);
    const untagged = await bowerRepo([]);
    const later = join(root, 'not-yet');
    const list = {
      'purescript-arrays': pathToFileURL(arrays).href,
      'purescript-prelude': pathToFileURL(prelude).href,
      'purescript-TypeAhead': pathToFileURL(prelude).href,
      'purescript-untagged': pathToFileURL(untagged).href,
      'purescript-later': pathToFileURL(later).href,
    };
    const file = join(root, 'bower-packages.json');
    await writeFile(file, JSON.stringify(list));
    const out = join(root, 'registry');
    await createRegistry(out, { name: 'purescript', local: true });
    // --json alone leaves stderr to errors; --verbose writes the progress lines all the same.
    const flags = ['--out', out, '--owner', 'importer', '--json', '--verbose'];

    // A dry run reads everything and writes nothing.
    const dry = await run(['import', 'bower', file, ...flags, '--dry-run'], root);
    expect(dry.code, dry.err).toBe(0);
    expect(await readdir(join(out, 'packages'))).toEqual(['.gitkeep']);

    const first = await run(['import', 'bower', file, ...flags], root);
    expect(first.code, first.err).toBe(0);
    const report = JSON.parse(first.out) as { packages: Array<Record<string, any>>; written: string[] };
    const byName = Object.fromEntries(report.packages.map((p) => [p.bower, p]));
    expect(byName['purescript-arrays']).toMatchObject({
      name: 'arrays',
      status: 'imported',
      versions: ['1.0.0', '1.1.0'],
      skippedVersions: [
        { version: '2.0.0', reason: 'bower.json names no license' },
        { version: '3.0.0', reason: expect.stringContaining('not a SemVer range') },
      ],
    });
    expect(byName['purescript-prelude']).toMatchObject({ status: 'imported', versions: ['1.0.0'] });
    expect(byName['purescript-TypeAhead']).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('"TypeAhead"'),
    });
    expect(byName['purescript-untagged']).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('no SemVer tag'),
    });
    expect(byName['purescript-later']).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('could not list the tags'),
    });
    // One progress line per package on stderr, as it finishes (CI logs show the import moving).
    expect(first.err.trim().split('\n')).toHaveLength(5);
    expect(report.written.sort()).toEqual([
      'packages/arrays/1.0.0.yaml',
      'packages/arrays/1.1.0.yaml',
      'packages/prelude/1.0.0.yaml',
    ]);
    expect(parse(await readFile(join(out, 'packages/arrays/1.1.0.yaml'), 'utf8'))).toEqual({
      name: 'arrays',
      version: '1.1.0',
      license: 'MIT',
      location: { git: pathToFileURL(arrays).href },
      ref: 'v1.1.0',
      dependencies: { prelude: '>=1.0.0 <2.0.0' },
      owners: ['importer'],
    });
    // The written definitions pass the registry's own checks.
    const validate = await run(['validate', '--repo', out], root);
    expect(validate.code, validate.out + validate.err).toBe(0);

    // The missing repository appears; the rerun imports it and leaves what is there alone.
    const moved = await bowerRepo([{ tag: 'v0.1.0', bower: { license: 'MIT' } }]);
    await mkdir(join(root), { recursive: true });
    await rename(moved, later);
    // A run killed while writing a package left its hidden staging folder: cleared, never taken for the package.
    await mkdir(join(out, 'packages/.importing-later'), { recursive: true });
    await writeFile(join(out, 'packages/.importing-later/0.0.9.yaml'), 'half: written\n');
    const second = await run(['import', 'bower', file, ...flags], root);
    const again = JSON.parse(second.out) as { packages: Array<Record<string, any>>; written: string[] };
    expect(again.written).toEqual(['packages/later/0.1.0.yaml']);
    expect(await readdir(join(out, 'packages/later'))).toEqual(['0.1.0.yaml']);
    expect((await readdir(join(out, 'packages'))).filter((e) => e.startsWith('.importing'))).toEqual([]);
    expect(again.packages.find((p) => p.bower === 'purescript-arrays')).toMatchObject({ status: 'present' });
  });

  it('says per package that a host could not be reached, as temporary', async () => {
    const root = await tempDir();
    const file = join(root, 'bower-packages.json');
    // A port nothing listens on any more: git cannot connect, as when the network is down.
    const port = await closedPort();
    await writeFile(file, JSON.stringify({ 'purescript-offline': `https://127.0.0.1:${port}/offline.git` }));
    const out = join(root, 'registry');
    await createRegistry(out, { name: 'purescript', local: true });
    const settings = await readFile(join(out, 'registry.yaml'), 'utf8');
    await writeFile(
      join(out, 'registry.yaml'),
      settings.replace('    - github.com', `    - github.com\n    - 127.0.0.1:${port}`),
    );
    const result = await run(
      ['import', 'bower', file, '--out', out, '--owner', 'importer', '--dry-run', '--json'],
      root,
    );
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out).packages).toEqual([
      expect.objectContaining({
        name: 'offline',
        status: 'failed',
        temporary: true,
        reason: expect.stringMatching(/run the import again later$/),
      }),
    ]);
  });
});
