import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/hash.js';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { createRepo, gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);

async function registry(): Promise<string> {
  const upstream = await createRepo();
  await upstream.write('src/main.ts', 'export const main = 1;\n');
  await upstream.commit('x');
  await upstream.tag('v1.0.0');
  const dir = await tempDir('granary-registry-');
  await writeFile(
    join(dir, 'registry.yaml'),
    'name: test\nsources:\n  schemes: [https, file]\n  hosts: [github.com]\n',
  );
  await gitIn(dir, 'clone', '-q', upstream.dir, 'upstream');
  await mkdir(join(dir, 'packages/demo'), { recursive: true });
  await writeFile(
    join(dir, 'packages/demo/1.0.0.yaml'),
    'name: demo\nversion: 1.0.0\nlicense: MIT\nlocation:\n  git: file://./upstream\nref: v1.0.0\ndependencies:\n  prelude: ^1.0.0\n',
  );
  return dir;
}

describe('granary pack', () => {
  it('writes the tarball and a sidecar that sha256sum -c accepts, and prints the hashes', async () => {
    const dir = await registry();
    const out = join(dir, 'out');
    const io = memoryIo({ cwd: dir });
    expect(await main(['pack', 'packages/demo/1.0.0.yaml', '--out', 'out', '--json'], io)).toBe(0);
    const result = JSON.parse(io.text());
    const bytes = await readFile(join(out, 'demo-1.0.0.tar.gz'));
    expect(result).toMatchObject({
      ok: true,
      name: 'demo',
      version: '1.0.0',
      files: 2,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      file: join(out, 'demo-1.0.0.tar.gz'),
    });
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await readFile(join(out, 'demo-1.0.0.tar.gz.sha256'), 'utf8')).toBe(`${result.sha256}  demo-1.0.0.tar.gz\n`);
    const sum = await run('sha256sum', ['demo-1.0.0.tar.gz'], { cwd: out });
    expect(sum.stdout.split(' ')[0]).toBe(result.sha256);
    const check = await run('sha256sum', ['-c', 'demo-1.0.0.tar.gz.sha256'], { cwd: out });
    expect(check.stdout).toBe('demo-1.0.0.tar.gz: OK\n');

    const text = memoryIo({ cwd: dir });
    expect(await main(['pack', join(dir, 'packages/demo/1.0.0.yaml'), '--repo', dir, '--out', out], text)).toBe(0);
    expect(text.text()).toContain('identical file already there');
    expect(text.text()).toContain(`sha256       ${result.sha256}`);
    expect(text.text()).toContain(`commit       ${result.commit}`);
  });

  it('bakes an override into granary.json and refuses to overwrite different bytes', async () => {
    const dir = await registry();
    const out = await tempDir();
    expect(await main(['pack', 'packages/demo/1.0.0.yaml', '--repo', dir, '--out', out], memoryIo({ cwd: dir }))).toBe(
      0,
    );
    await mkdir(join(dir, 'overrides/demo'), { recursive: true });
    await writeFile(
      join(dir, 'overrides/demo/1.0.0.yaml'),
      'reason: prelude 2 breaks it\ndependencies:\n  prelude: ">=1.0.0 <2.0.0"\n',
    );
    const io = memoryIo({ cwd: dir });
    expect(await main(['pack', 'packages/demo/1.0.0.yaml', '--out', out, '--json'], io)).toBe(1);
    expect(JSON.parse(io.text())).toMatchObject({ ok: false, error: 'asset-conflict' });

    const fresh = await tempDir();
    const again = memoryIo({ cwd: dir });
    expect(await main(['pack', 'packages/demo/1.0.0.yaml', '--out', fresh, '--json'], again)).toBe(0);
    expect(JSON.parse(again.text())).toMatchObject({ override: true });
    const { stdout } = await run('tar', ['-xzOf', join(fresh, 'demo-1.0.0.tar.gz'), 'demo-1.0.0/granary.json']);
    expect(JSON.parse(stdout)).toMatchObject({
      dependencies: { prelude: '>=1.0.0 <2.0.0' },
      override: { reason: 'prelude 2 breaks it' },
    });
  });

  it('exits 2 with a hint when there is no registry.yaml, and 1 on an invalid definition', async () => {
    const empty = await tempDir();
    const io = memoryIo({ cwd: empty });
    expect(await main(['pack', 'packages/demo/1.0.0.yaml'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/no registry\.yaml[\s\S]*fix: run in the registry repository, or pass --repo/);

    const dir = await registry();
    await writeFile(
      join(dir, 'packages/demo/1.0.0.yaml'),
      'name: demo\nversion: 1.0.0\nlicense: MIT\nlocation:\n  git: file://./upstream\nref: v1.0.0\nsurprise: 1\n',
    );
    const bad = memoryIo({ cwd: dir });
    expect(await main(['pack', 'packages/demo/1.0.0.yaml'], bad)).toBe(1);
    expect(bad.err.join('')).toMatch(/unknown key "surprise"[\s\S]*1\.0\.0\.yaml:7/);
  });
});
