// Granary as a user gets it: `npm pack`, then installed globally into a prefix and into an empty
// project, and the whole lifecycle run with the installed command from `/`, far from this checkout.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, gitIn, GIT_ENV } from '../helpers/git.js';
import { installGlobal, packProject, projectVersion, sh } from '../helpers/installed-cli.js';

const run = promisify(execFile);

let root: string;
let packed: { tarball: string; files: string[] };
let granary: string;

/** Run the installed command from `/` with a clean environment; returns its exit code and output. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const childEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: root, ...GIT_ENV, ...env };
  try {
    const { stdout, stderr } = await run(granary, args, { cwd: '/', env: childEnv, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'granary-packed-'));
  packed = await packProject(root);
  granary = await installGlobal(packed.tarball, join(root, 'prefix'));
}, 240_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the built command, the compiled code and the schemas, and nothing of development', () => {
    expect(packed.files).toContain('bin/granary.js');
    expect(packed.files).toContain('dist/cli/cli.js');
    expect(packed.files).toContain('dist/schema/generated/validators.js');
    expect(packed.files).toContain('schema/package.schema.json');
    const strays = packed.files.filter(
      (f) =>
        !/^(bin\/|dist\/|schema\/[a-z-]+\.schema\.json$|package\.json$|README\.md$|LICENSE)/.test(f) ||
        /\.(ts|map)$/.test(f) ||
        /^dist\/(tools|test)\//.test(f),
    );
    expect(strays).toEqual([]);
  });

  it('installed with npm install -g runs init, keygen, validate, curate and install from /', async () => {
    expect((await cli(['--version'])).out.trim()).toBe(await projectVersion());

    const registry = join(root, 'registry');
    const init = await cli(['init', registry, '--local']);
    expect(init.code, init.out).toBe(0);
    const keygen = await cli(['keygen', '--out', join(root, 'keys', 'signing.pem'), '--json']);
    expect(keygen.code, keygen.out).toBe(0);
    const publicKey = (JSON.parse(keygen.out) as { publicKey: string }).publicKey;
    await writeFile(
      join(registry, 'registry.yaml'),
      `${await readFile(join(registry, 'registry.yaml'), 'utf8')}publicKey: ${publicKey}\n`,
    );
    await gitIn(registry, 'commit', '-qam', 'Pin the signing key');

    const source = await createRepo(join(root, 'sources', 'hello'));
    await source.write('src/hello.js', 'export const hello = "world";\n');
    await source.commit('hello 1.0.0');
    await source.tag('v1.0.0');
    await gitIn(registry, 'checkout', '-q', '-b', 'add-hello');
    await mkdir(join(registry, 'packages', 'hello'));
    const definition = [
      'name: hello',
      'version: "1.0.0"',
      'license: MIT',
      'description: Says hello',
      'location:',
      `  git: ${pathToFileURL(source.dir).href}`,
      'ref: v1.0.0',
      'owners: [alice]',
      '',
    ];
    await writeFile(join(registry, 'packages', 'hello', '1.0.0.yaml'), definition.join('\n'));
    await gitIn(registry, 'add', '-A');
    await gitIn(registry, 'commit', '-qm', 'Add hello 1.0.0');

    const refused = await cli([
      'validate',
      '--repo',
      registry,
      '--base',
      'main',
      '--head',
      'add-hello',
      '--author',
      'mallory',
    ]);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toMatch(/packages\/hello\/1\.0\.0\.yaml:\d+/);
    const passed = await cli([
      'validate',
      '--repo',
      registry,
      '--base',
      'main',
      '--head',
      'add-hello',
      '--author',
      'alice',
    ]);
    expect(passed.code, passed.out).toBe(0);

    await gitIn(registry, 'checkout', '-q', 'main');
    await gitIn(registry, 'merge', '-q', '--ff-only', 'add-hello');
    const curated = await cli(['curate', '--repo', registry, '--sign-key', join(root, 'keys', 'signing.pem')]);
    expect(curated.code, curated.out).toBe(0);
    expect(curated.out).toMatch(/published\s+hello@1\.0\.0/);

    const project = join(root, 'project');
    const installed = await cli([
      'install',
      'hello',
      '--registry',
      registry,
      '--trust-key',
      publicKey,
      '--dir',
      join(project, 'granary_packages'),
      '--lock',
      join(project, 'granary.lock'),
      '--cache',
      join(root, 'cache'),
    ]);
    expect(installed.code, installed.out).toBe(0);
    expect(await readFile(join(project, 'granary_packages', 'hello', 'src', 'hello.js'), 'utf8')).toBe(
      'export const hello = "world";\n',
    );
    expect(JSON.parse(await readFile(join(project, 'granary.lock'), 'utf8'))).toMatchObject({
      packages: expect.anything(),
    });
  }, 120_000);

  it('installed into an empty project, runs with npx granary', async () => {
    const project = join(root, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', packed.tarball], {
      cwd: project,
    });
    expect(await readdir(join(project, 'node_modules', 'granary'))).not.toContain('test');
    const { stdout } = await sh('npx', ['--no-install', 'granary', '--version'], { cwd: project });
    expect(stdout.trim()).toBe(await projectVersion());
  }, 180_000);
});
