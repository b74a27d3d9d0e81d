// Granary as a user gets it: `npm pack`, then installed globally into a prefix and into an empty
// project, and the whole lifecycle run with the installed command from `/`, far from this checkout; and
// the library as another project imports it (`granary`, `granary/curator`), in JavaScript and TypeScript.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, gitIn, GIT_ENV } from '../helpers/git.js';
import { installGlobal, packProject, PROJECT_ROOT, projectVersion, sh } from '../helpers/installed-cli.js';
import { buildRegistry } from '../install/fixture-registry.js';

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

let consumer: Promise<string> | undefined;

/** An empty project with the packed tarball installed by npm: made once, for every test that needs one. */
function consumerProject(): Promise<string> {
  consumer ??= (async () => {
    const project = join(root, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', packed.tarball], {
      cwd: project,
    });
    return project;
  })();
  return consumer;
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
    expect(packed.files).toContain('dist/client/index.d.ts');
    expect(packed.files).toContain('dist/curator/index.d.ts');
    expect(packed.files).toContain('dist/schema/generated/validators.js');
    expect(packed.files).toContain('schema/package.schema.json');
    // What `granary site build` copies into a site: the shared ranking and the page scripts, beside the builder.
    expect(packed.files).toContain('dist/client/site/ranking.cjs');
    expect(packed.files).toContain('dist/client/site/browser/search-page.cjs');
    const strays = packed.files.filter(
      (f) =>
        !/^(bin\/|dist\/|schema\/[a-z-]+\.schema\.json$|package\.json$|README\.md$|LICENSE)/.test(f) ||
        (/\.(ts|map)$/.test(f) && !/^dist\/.*\.d\.ts$/.test(f)) ||
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

    const site = join(root, 'site');
    const built = await cli([
      'site',
      'build',
      '--registry',
      registry,
      '--trust-key',
      publicKey,
      '--out',
      site,
      '--cache',
      join(root, 'cache'),
    ]);
    expect(built.code, built.out).toBe(0);
    expect(await readFile(join(site, 'package', 'hello.html'), 'utf8')).toContain('granary install hello');
    for (const asset of ['ranking.js', 'search.js', 'lookup.js', 'minisearch.js', 'site.css'])
      expect((await readFile(join(site, 'assets', asset))).length, asset).toBeGreaterThan(100);
  }, 120_000);

  it('installed into an empty project, runs with npx granary', async () => {
    const project = await consumerProject();
    expect(await readdir(join(project, 'node_modules', 'granary'))).not.toContain('test');
    const { stdout } = await sh('npx', ['--no-install', 'granary', '--version'], { cwd: project });
    expect(stdout.trim()).toBe(await projectVersion());
  }, 180_000);
});

/** The ```ts example in the leading comment of `file` (client/index.ts, curator/index.ts), as code. */
async function moduleExample(file: string): Promise<string> {
  const text = await readFile(join(PROJECT_ROOT, file), 'utf8');
  const block = /```ts\n([\s\S]*?)\n \* ```/.exec(text);
  if (!block) throw new Error(`${file} has no \`\`\`ts example in its leading comment`);
  return `${block[1]!.replace(/^ \* ?/gm, '')}\n`;
}

describe('the packed package as a library', () => {
  it('is imported as granary and granary/curator: resolves from a local registry, runs the gate, and hides the rest', async () => {
    const project = await consumerProject();
    const fixture = await buildRegistry(join(root, 'library-registry'), [
      { name: 'lib', version: '1.0.0' },
      { name: 'lib', version: '1.2.0' },
      { name: 'app', version: '2.0.0', dependencies: { lib: '^1.0.0' } },
    ]);
    const script = [
      "import { GranaryError, openRegistry, readIndex, resolve } from 'granary';",
      "import { createRegistry, reportOk, summarizeReport, validateRepo } from 'granary/curator';",
      'const [indexDir, trustKey, cacheDir, registryDir] = process.argv.slice(2);',
      'const options = { cwd: process.cwd(), trustKey, cacheDir };',
      'const registry = await openRegistry(indexDir, options);',
      "const resolution = await resolve(registry, [{ name: 'app', range: '^2.0.0' }]);",
      "const lines = await readIndex(indexDir, 'lib', options);",
      "await createRegistry(registryDir, { name: 'probe', local: true });",
      'const report = await validateRepo({ repo: registryDir, offline: true });',
      'let unknown;',
      "try { await resolve(registry, [{ name: 'nothing-here', range: '*' }]); } catch (error) { unknown = error instanceof GranaryError ? error.code : String(error); }",
      'let internal;',
      "try { await import('granary/dist/client/registry.js'); } catch (error) { internal = error.code; }",
      'console.log(JSON.stringify({',
      '  resolved: [...resolution.packages.values()].map((l) => `${l.name}@${l.version}`).sort(),',
      '  lines: lines.map((l) => l.version),',
      '  gate: { ok: reportOk(report), summary: summarizeReport(report) },',
      '  unknown,',
      '  internal,',
      '}));',
      '',
    ].join('\n');
    await writeFile(join(project, 'use-granary.mjs'), script);
    const { stdout } = await sh(
      process.execPath,
      [
        'use-granary.mjs',
        fixture.indexDir,
        fixture.publicKey,
        join(root, 'library-cache'),
        join(root, 'probe-registry'),
      ],
      { cwd: project, env: { ...process.env, ...GIT_ENV } },
    );
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      resolved: ['app@2.0.0', 'lib@1.2.0'],
      lines: ['1.0.0', '1.2.0'],
      gate: { ok: true },
      unknown: 'resolution',
      internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });
  }, 180_000);

  it("type-checks a TypeScript consumer against the installed declarations, the modules' own examples included", async () => {
    const project = await consumerProject();
    const dir = join(project, 'ts');
    await mkdir(dir);
    await writeFile(join(dir, 'client-example.mts'), await moduleExample('client/index.ts'));
    await writeFile(join(dir, 'curator-example.mts'), await moduleExample('curator/index.ts'));
    await writeFile(
      join(dir, 'typed.mts'),
      [
        "import { IntegrityError, openRegistry, resolve, type IndexLine, type Resolution } from 'granary';",
        "import { createFsStore, validateRepo, type ReleaseStore, type ValidationReport } from 'granary/curator';",
        '',
        "const registry = await openRegistry('index', { cwd: '.' });",
        "const lines: IndexLine[] = await registry.lines('lib');",
        "const resolution: Resolution = await resolve(registry, [{ name: 'lib', range: '^1.0.0' }]);",
        "const store: ReleaseStore = createFsStore('releases');",
        "const report: ValidationReport = await validateRepo({ repo: '.' });",
        "export const seen = [lines, resolution.packages.get('lib')?.sha256, store, report.problems];",
        "export const code: string = new IntegrityError('bad bytes').code;",
        '// @ts-expect-error a registry is named by a string',
        "await openRegistry(42, { cwd: '.' });",
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')],
        },
        include: ['*.mts'],
      }),
    );
    const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await sh(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch(
      (error: Error) => ({ stdout: error.message, stderr: '' }),
    );
    expect(result.stdout).toBe('');
  }, 180_000);
});
