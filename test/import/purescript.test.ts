// `granary import purescript`: a PureScript registry snapshot becomes definitions that pass the gate.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { convertPurescript, readPurescriptSnapshot } from '../../curator/import/purescript.js';
import { purescriptDataDir, hasPurescriptData } from '../../tools/bench/purescript-definitions.js';
import { gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const line = (o: object) => JSON.stringify(o);

/** A tiny snapshot in the PureScript layout (index/<shard>/<name> JSON lines, metadata/<name>.json). */
async function snapshot(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'index/pr'), { recursive: true });
  await mkdir(join(dir, 'index/2'), { recursive: true });
  await mkdir(join(dir, 'metadata'), { recursive: true });
  const loc = (repo: string) => ({ githubOwner: 'purescript', githubRepo: repo });
  await writeFile(
    join(dir, 'index/pr/prelude'),
    [
      line({
        name: 'prelude',
        version: '5.0.0',
        license: 'BSD-3-Clause',
        description: 'The prelude',
        location: loc('purescript-prelude'),
        ref: 'v5.0.0',
        dependencies: {},
      }),
      line({
        name: 'prelude',
        version: '6.0.0',
        license: 'BSD-3-Clause',
        location: loc('purescript-prelude'),
        ref: 'v6.0.0',
        dependencies: {},
        includeFiles: ['src/**'],
      }),
      line({
        name: 'prelude',
        version: '6.0.1',
        license: 'BSD-3-Clause',
        location: loc('purescript-prelude'),
        ref: 'v6.0.1',
        dependencies: {},
      }),
      'not json',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'index/2/fx'),
    `${line({ name: 'fx', version: '1.0.0', license: 'MIT', location: loc('purescript-fx'), ref: 'v1.0.0', dependencies: { prelude: '>= 6.0.0  <7.0.0' } })}\n`,
  );
  await mkdir(join(dir, 'index/2/Bad'), { recursive: true }).catch(() => undefined);
  await writeFile(
    join(dir, 'index/2/Bad/Bad_Name'),
    `${line({ name: 'Bad_Name', version: '1.0.0', license: 'MIT', location: loc('x'), ref: 'v1', dependencies: {} })}\n`,
  );
  await writeFile(
    join(dir, 'metadata/prelude.json'),
    line({
      location: loc('purescript-prelude'),
      owners: [{ keytype: 'ssh-ed25519', public: 'AAAA' }],
      published: {},
      unpublished: { '6.0.1': { reason: 'broken' } },
    }),
  );
  return dir;
}

describe('PureScript import', () => {
  it('converts manifests: location, ranges, files; skips unpublished versions, invalid names and bad lines', async () => {
    const conversion = convertPurescript(await readPurescriptSnapshot(await snapshot()));
    expect(conversion.definitions.map((d) => d.path)).toEqual([
      'packages/fx/1.0.0.yaml',
      'packages/prelude/5.0.0.yaml',
      'packages/prelude/6.0.0.yaml',
    ]);
    expect(parse(conversion.definitions[2]!.text)).toEqual({
      name: 'prelude',
      version: '6.0.0',
      license: 'BSD-3-Clause',
      location: { github: 'purescript/purescript-prelude' },
      ref: 'v6.0.0',
      owners: ['purescript'],
      files: { add: ['src/**'] },
    });
    expect(parse(conversion.definitions[0]!.text).dependencies).toEqual({ prelude: '>=6.0.0 <7.0.0' });
    expect(conversion.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'prelude', version: '6.0.1', reason: 'unpublished' }),
        expect.objectContaining({ name: 'Bad_Name', reason: expect.stringContaining('not a Granary package name') }),
        expect.objectContaining({ reason: 'not valid JSON' }),
      ]),
    );
    expect(conversion.skipped).toHaveLength(3);
  });

  it('writes into a registry made by init; the result validates; existing files are never replaced', async () => {
    const dir = join(await tempDir(), 'reg');
    expect((await cli('init', dir)).code).toBe(0);
    const data = await snapshot();
    const run = await cli('import', 'purescript', data, '--out', dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('wrote 3 definitions');
    expect(run.out).toContain('skipped Bad_Name@1.0.0: not a Granary package name');
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'import');
    expect(await cli('validate', '--repo', dir)).toMatchObject({ code: 0, out: 'no problems (checked 4 files)\n' });
    const again = await cli('import', 'purescript', data, '--out', dir, '--json');
    expect(JSON.parse(again.out)).toMatchObject({ written: 0 });
    expect(await readFile(join(dir, 'packages/fx/1.0.0.yaml'), 'utf8')).toContain('name: fx');
  });

  it('refuses an output that is not a registry with exit 2', async () => {
    const run = await cli('import', 'purescript', await snapshot(), '--out', await tempDir());
    expect(run.code).toBe(2);
    expect(run.err).toContain('is not a Granary registry');
  });

  it.skipIf(!hasPurescriptData())(
    'converts the real PureScript snapshot (skipped when ../shared/data is absent)',
    async () => {
      const conversion = convertPurescript(await readPurescriptSnapshot(purescriptDataDir()));
      expect(conversion.definitions.length).toBeGreaterThan(5000);
      expect(conversion.skipped.length).toBeLessThan(10);
    },
  );
  if (!hasPurescriptData()) console.warn(`skipping the real-data import check: no snapshot at ${purescriptDataDir()}`);
});
