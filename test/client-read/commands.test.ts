import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { line } from '../resolve/memory-registry.js';
import { tempDir } from '../helpers/tmp.js';
import { buildIndex, writeIndex } from './build-index.js';

async function registryDir() {
  const built = await buildIndex({
    json: [
      line('json', '1.0.0'),
      line('json', '1.1.0', { deprecated: 'use json 2' }),
      line('json', '2.0.0', {
        dependencies: { text: '^1.0.0' },
        revision: 2,
        history: [
          { revision: 1, dependencies: { text: '^0.9.0' }, at: '2024-02-01T00:00:00Z', reason: 'text 1 works' },
        ],
      }),
    ],
    'json-schema': [line('json-schema', '0.1.0', { dependencies: { json: '^1.0.0' } })],
    text: [line('text', '1.0.0'), line('text', '1.1.0', { yanked: true })],
    yaml: [line('yaml', '3.0.0', { dependencies: { json: '^9.0.0' } })],
  });
  const dir = await tempDir();
  await writeIndex(built.files, dir);
  return { dir, key: built.key.publicKey };
}

async function run(args: string[]) {
  const cache = await tempDir();
  const io = memoryIo({ env: { GRANARY_CACHE: cache } });
  const code = await main(args, io);
  return { code, out: io.text(), err: io.err.join('') };
}

describe('granary resolve / info / search', () => {
  it('resolve prints the chosen versions, and --json the lines', async () => {
    const { dir, key } = await registryDir();
    const text = await run(['resolve', 'json', '--registry', dir, '--trust-key', key]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^json {2}2\.0\.0\ntext {2}1\.0\.0\n$/);
    const json = await run(['resolve', 'json-schema', '--registry', dir, '--trust-key', key, '--json']);
    expect(
      JSON.parse(json.out).packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`),
    ).toEqual(['json@1.1.0', 'json-schema@0.1.0']);
  });

  it('resolve explains a failure on stderr and exits 1', async () => {
    const { dir, key } = await registryDir();
    const r = await run(['resolve', 'yaml', '--registry', dir, '--trust-key', key]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('yaml@3.0.0 depends on json ^9.0.0');
    expect(r.err).toContain('no version of json matches ^9.0.0');
  });

  it('warns once on stderr when no trust root is pinned', async () => {
    const { dir } = await registryDir();
    const r = await run(['resolve', 'text', '--registry', dir]);
    expect(r.code).toBe(0);
    expect(r.err.match(/warning: no trust root pinned/g)).toHaveLength(1);
  });

  it('info shows latest, markers and revisions with history', async () => {
    const { dir, key } = await registryDir();
    const r = await run(['info', 'json', '--registry', dir, '--trust-key', key]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('latest: 2.0.0');
    expect(r.out).toContain('dependencies: text ^1.0.0');
    expect(r.out).toContain('1.1.0  2024-01-01  [deprecated: use json 2]');
    expect(r.out).toContain('2.0.0  2024-01-01  revision 2');
    expect(r.out).toContain('revision 1: dependencies text ^0.9.0; replaced 2024-02-01: text 1 works');
    const t = JSON.parse((await run(['info', 'text', '--registry', dir, '--trust-key', key, '--json'])).out);
    expect(t.latest).toBe('1.0.0');
    expect(t.versions.map((v: { version: string; yanked: boolean }) => [v.version, v.yanked])).toEqual([
      ['1.1.0', true],
      ['1.0.0', false],
    ]);
    const missing = await run(['info', 'jsn', '--registry', dir, '--trust-key', key]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('did you mean json?');
  });

  it('search ranks the exact name first, then other name matches, and checks its flags', async () => {
    const { dir, key } = await registryDir();
    const r = JSON.parse((await run(['search', 'json', '--registry', dir, '--trust-key', key, '--json'])).out);
    expect(r.results.map((h: { name: string; match: string[] }) => `${h.name}:${h.match.join('+')}`)).toEqual([
      'json:name+description',
      'json-schema:name+description',
    ]);
    const limited = await run(['search', 'json', '--limit', '1', '--registry', dir, '--trust-key', key]);
    expect(limited.out.trim().split('\n')).toHaveLength(1);
    expect((await run(['search', 'json', '--limit', 'x', '--registry', dir])).code).toBe(2);
    expect((await run(['search', 'json', '--sort', 'stars', '--registry', dir])).code).toBe(2);
    expect((await run(['search', '--registry', dir])).code).toBe(2);
  });

  it('asks for a registry when none is given', async () => {
    const r = await run(['resolve', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no registry given');
  });
});
