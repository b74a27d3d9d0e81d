// The global --quiet and --verbose, and progress written as lines when stderr is not a terminal (CI logs).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line } from '../resolve/memory-registry.js';
import { buildRegistry } from '../install/fixture-registry.js';
import { tempDir } from '../helpers/tmp.js';
import { defPath, definition, registry } from '../validate/fixture.js';
import { granary, indexDir } from './fixture.js';

const DOWNLOAD = /^installing [1-3]\/3 (app|lib|util)@1\.0\.0 \(\d+(\.\d)? K?B\)$/;

async function project() {
  const work = await tempDir('granary-work-');
  const reg = await buildRegistry(join(work, 'registry'), [
    { name: 'app', version: '1.0.0', dependencies: { lib: '^1.0.0', util: '^1.0.0' } },
    { name: 'lib', version: '1.0.0' },
    { name: 'util', version: '1.0.0' },
  ]);
  const cwd = join(work, 'project');
  await mkdir(cwd);
  const install = (...args: string[]) =>
    granary(['install', ...args, '--registry', reg.indexDir, '--trust-key', reg.publicKey], { cwd });
  return { reg, cwd, install };
}

const stderrLines = (err: string) => err.split('\n').filter(Boolean);

describe('--quiet and --verbose', () => {
  it('--quiet prints nothing but errors, before or after the command; with --json the result still', async () => {
    const { dir } = await indexDir({ a: [line('a', '1.0.0')] });
    // Without a pinned key the registry is trusted on first use, with a warning that --quiet drops.
    const loud = await granary(['resolve', 'a', '--registry', dir]);
    expect(loud.err).toContain('warning: no trust root pinned');
    for (const args of [
      ['resolve', 'a', '--registry', dir, '--quiet'],
      ['-q', 'resolve', 'a', '--registry', dir],
    ]) {
      const quiet = await granary(args);
      expect(quiet).toEqual({ code: 0, out: '', err: '' });
    }
    const json = await granary(['resolve', 'a', '--registry', dir, '--quiet', '--json']);
    expect(json.code).toBe(0);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out).packages).toHaveLength(1);

    const failed = await granary(['resolve', 'a@^2.0.0', '--registry', dir, '--quiet']);
    expect(failed.code).toBe(1);
    expect(failed.out).toBe('');
    expect(failed.err).toMatch(/^error: no set of versions satisfies a@\^2\.0\.0:/);
  });

  it('--quiet still prints a failed check: its problems are the errors', async () => {
    const repo = await registry({ [defPath('foo', '1.0.0')]: definition('foo', '1.0.0', { location: undefined }) });
    const r = await granary(['validate', '--repo', repo.dir, '--offline', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('packages/foo/1.0.0.yaml');
  });

  it('--quiet with --verbose is a usage error (2)', async () => {
    const r = await granary(['--verbose', 'resolve', 'a', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/option '-q, --quiet' cannot be used with option '-v, --verbose'/);
  });

  it('install writes a line per download with its size when stderr is not a terminal; nothing with --json or --quiet', async () => {
    const first = await project();
    const plain = await first.install('app');
    expect(plain.code, plain.err).toBe(0);
    expect(stderrLines(plain.err)).toHaveLength(3);
    for (const l of stderrLines(plain.err)) expect(l).toMatch(DOWNLOAD);

    const json = await (await project()).install('app', '--json');
    expect(json.code).toBe(0);
    expect(json.err).toBe('');

    const quiet = await (await project()).install('app', '--quiet');
    expect(quiet).toEqual({ code: 0, out: '', err: '' });

    const verbose = await (await project()).install('app', '--json', '--verbose');
    expect(verbose.code).toBe(0);
    expect(stderrLines(verbose.err).filter((l) => DOWNLOAD.test(l))).toHaveLength(3);
  });

  it('mirror writes a line per asset copied', async () => {
    const { reg } = await project();
    const dest = join(await tempDir('granary-mirror-'), 'mirror');
    const r = await granary(['mirror', reg.indexDir, dest, '--trust-key', reg.publicKey]);
    expect(r.code, r.err).toBe(0);
    const lines = stderrLines(r.err);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/^mirroring [1-3]\/3 (app|lib|util)@1\.0\.0 \(\d+(\.\d)? K?B\)$/);
  });

  it('curate says each step; --verbose adds each git call; --json keeps stderr quiet', async () => {
    const repo = await registry({ [defPath('foo', '1.0.0')]: definition('foo', '1.0.0', { location: undefined }) });
    const curate = (...flags: string[]) => granary(['curate', '--repo', repo.dir, '--dry-run', ...flags]);
    const plain = await curate();
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/^refused packages\/foo\/1\.0\.0\.yaml \([0-9a-f]{12}\): /m);
    expect(plain.err).not.toMatch(/^git /m);

    const verbose = await curate('--verbose');
    expect(verbose.err).toMatch(/^git cat-file --batch$/m);
    expect(verbose.err).toMatch(/^git diff-tree /m);
    expect(verbose.err).toMatch(/^refused packages\/foo\/1\.0\.0\.yaml/m);

    const json = await curate('--json');
    expect(json.code).toBe(1);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out).refused).toHaveLength(1);
  });
});
