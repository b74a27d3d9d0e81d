// `granary init`: a new registry that validates, and a first package that passes the gate.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('granary init', () => {
  it('creates a registry on main that validates, and accepts a first package by an owner', async () => {
    const dir = join(await tempDir(), 'reg');
    const init = await cli('init', dir, '--name', 'demo', '--github', 'example/registry', '--json');
    expect(init.code).toBe(0);
    const result = JSON.parse(init.out);
    expect(result.files).toEqual(
      expect.arrayContaining(['README.md', 'overrides/.gitkeep', 'packages/.gitkeep', 'registry.yaml']),
    );
    expect(await gitIn(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await gitIn(dir, 'status', '--porcelain')).toBe('');
    const settings = parse(await readFile(join(dir, 'registry.yaml'), 'utf8'));
    expect(settings).toMatchObject({
      name: 'demo',
      github: 'example/registry',
      sources: { hosts: ['github.com'], schemes: ['https'] },
      stores: ['github:example/registry'],
    });
    expect((await cli('validate', '--repo', dir)).code).toBe(0);

    await gitIn(dir, 'checkout', '-q', '-b', 'first-package');
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'packages/left-pad'), { recursive: true });
    await writeFile(
      join(dir, 'packages/left-pad/1.0.0.yaml'),
      'name: left-pad\nversion: 1.0.0\nlicense: MIT\nlocation:\n  github: octocat/left-pad\nref: v1.0.0\nowners: [octocat]\n',
    );
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-q', '-m', 'left-pad 1.0.0');
    const good = await cli('validate', '--repo', dir, '--base', 'main', '--author', 'octocat', '--offline');
    expect(good).toMatchObject({
      code: 0,
      out: 'no problems (checked 1 file; operations: new package left-pad@1.0.0)\n',
    });
    const stranger = await cli('validate', '--repo', dir, '--base', 'main', '--author', 'someone-else', '--offline');
    expect(stranger.code).toBe(1);
    expect(stranger.out).toContain('packages/left-pad/1.0.0.yaml:7:1: error:');
  });

  it('with --local accepts file:// sources and publishes to an fs: store', async () => {
    const dir = join(await tempDir(), 'local');
    expect((await cli('init', dir, '--local')).code).toBe(0);
    const settings = parse(await readFile(join(dir, 'registry.yaml'), 'utf8'));
    expect(settings).toMatchObject({ name: 'local', sources: { schemes: ['https', 'file'] }, stores: ['fs:releases'] });
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('releases/\n');
  });

  it('refuses a non-empty directory and bad names with exit 2', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'keep.txt'), 'mine');
    const busy = await cli('init', dir);
    expect(busy.code).toBe(2);
    expect(busy.err).toMatch(/is not empty; refusing/);
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    expect((await cli('init', join(dir, 'x'), '--name', 'Bad Name')).code).toBe(2);
    expect((await cli('init', join(dir, 'y'), '--github', 'no-slash')).code).toBe(2);
  });

  it('writes the pinned CLI source into the workflows, and refuses one not pinned to a commit', async () => {
    const root = await tempDir();
    const pinned = `github:acme/granary#${'c'.repeat(40)}`;
    expect((await cli('init', join(root, 'ok'), '--github', 'acme/registry', '--cli-source', pinned)).code).toBe(0);
    for (const workflow of ['validate.yml', 'curate.yml', 'automerge.yml'])
      expect(await readFile(join(root, 'ok/.github/workflows', workflow), 'utf8')).toContain(
        `GRANARY_CLI: '${pinned}'`,
      );
    const refused = await cli('init', join(root, 'bad'), '--cli-source', 'granary@0.1.0');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/pinned to a full commit SHA/);
  });
});
