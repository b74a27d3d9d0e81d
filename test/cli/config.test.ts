// The settings of the read commands (docs/client.md, "Configuration"): a flag, else the project's lockfile
// (registry and key), else the environment, else the project's config file, else the user's.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { parseLockfile } from '../../client/lockfile.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry, type FixtureRegistry } from '../install/fixture-registry.js';
import { unreachableUrl } from './fixture.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

interface World {
  work: string;
  /** The project directory (a git repository's root: the search for its config file stops there). */
  project: string;
  home: string;
  /** Where the user's config file is, with HOME set to `home`. */
  userConfig: string;
  projectConfig: string;
  /** Two registries with different keys: `a` is 1.0.0 in the first, 2.0.0 in the second. */
  one: FixtureRegistry;
  two: FixtureRegistry;
  /** `granary ARGS` in the project (or `cwd`) with HOME and a fresh cache, and `env` over them. */
  run(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<Run>;
}

async function world(): Promise<World> {
  const work = await tempDir('granary-config-');
  const project = join(work, 'project');
  await mkdir(join(project, '.git'), { recursive: true });
  const home = join(work, 'home');
  const one = await buildRegistry(join(work, 'one'), [{ name: 'a', version: '1.0.0' }]);
  const two = await buildRegistry(join(work, 'two'), [{ name: 'a', version: '2.0.0' }]);
  let runs = 0;
  return {
    work,
    project,
    home,
    userConfig: join(home, '.config', 'granary', 'config.yaml'),
    projectConfig: join(project, '.granary', 'config.yaml'),
    one,
    two,
    async run(args, options = {}) {
      const env = { HOME: home, GRANARY_CACHE: join(work, `cache-${runs++}`), ...options.env };
      const io = memoryIo({ cwd: options.cwd ?? project, env });
      const code = await main(args, io);
      return { code, out: io.text(), err: io.err.join('') };
    },
  };
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** The version of `a` that `granary resolve a` chose: which registry was read. */
function resolved(run: Run): string {
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out).packages[0].version;
}

/** A config file naming a registry and its key. */
function config(registry: FixtureRegistry): string {
  return `registry: ${registry.indexDir}\ntrustKey: ${registry.publicKey}\n`;
}

describe('configuration', () => {
  it('a user config file alone supplies the registry and its key: install works', async () => {
    const w = await world();
    expect((await w.run(['install', 'a'])).err).toContain('no registry given');

    await write(w.userConfig, config(w.one));
    const r = await w.run(['install', 'a']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('no trust root pinned');
    const lock = parseLockfile(await readFile(join(w.project, 'granary.lock'), 'utf8'), 'granary.lock');
    expect(resolvePath(w.project, lock.registry)).toBe(w.one.indexDir);
    expect(lock.publicKey).toBe(w.one.publicKey);
    expect(Object.keys(lock.packages)).toEqual(['a']);
  });

  it("the project's config file wins over the user's; GRANARY_REGISTRY over both; a flag over all", async () => {
    const w = await world();
    await write(w.userConfig, config(w.two));
    expect(resolved(await w.run(['resolve', 'a', '--json']))).toBe('2.0.0');

    await write(w.projectConfig, config(w.one));
    expect(resolved(await w.run(['resolve', 'a', '--json']))).toBe('1.0.0');

    const twoInEnv = { GRANARY_REGISTRY: w.two.indexDir, GRANARY_TRUST_KEY: w.two.publicKey };
    expect(resolved(await w.run(['resolve', 'a', '--json'], { env: twoInEnv }))).toBe('2.0.0');

    const flags = ['--registry', w.one.indexDir, '--trust-key', w.one.publicKey];
    expect(resolved(await w.run(['resolve', 'a', '--json', ...flags], { env: twoInEnv }))).toBe('1.0.0');
  });

  it("the project's lockfile wins over the environment: install, and now info and resolve in the project", async () => {
    const w = await world();
    const installed = await w.run(['install', 'a', '--registry', w.one.indexDir, '--trust-key', w.one.publicKey]);
    expect(installed.code, installed.err).toBe(0);
    const env = { GRANARY_REGISTRY: w.two.indexDir, GRANARY_TRUST_KEY: w.two.publicKey };
    await write(w.userConfig, config(w.two));

    const again = await w.run(['install', '--json'], { env });
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).packages).toMatchObject([{ name: 'a', version: '1.0.0', status: 'unchanged' }]);
    expect(resolved(await w.run(['resolve', 'a', '--json'], { env }))).toBe('1.0.0');
    const info = await w.run(['info', 'a', '--json'], { env });
    expect(info.code, info.err).toBe(0);
    expect(JSON.parse(info.out).latest).toBe('1.0.0');
    // Outside the project the environment is read.
    expect(resolved(await w.run(['resolve', 'a', '--json'], { cwd: w.work, env }))).toBe('2.0.0');
    // verify checks the project's lockfile, not the registry the environment names.
    const verify = await w.run(['verify', '--json'], { env });
    expect(verify.code, verify.out).toBe(0);
    expect(JSON.parse(verify.out).subject).toBe(join(w.project, 'granary.lock'));
  });

  it("relative paths in a config file are relative to the file's directory, wherever the command runs", async () => {
    const w = await world();
    const dir = dirname(w.projectConfig);
    await write(join(dir, 'keys', 'one.pub'), `${w.one.publicKey}\n`);
    await write(w.projectConfig, 'registry: ../../one/index\ntrustKey: keys/one.pub\ncache: state\n');
    const sub = join(w.project, 'src', 'app');
    await mkdir(sub, { recursive: true });

    const r = await w.run(['resolve', 'a', '--json'], { cwd: sub, env: { GRANARY_CACHE: undefined } });
    expect(resolved(r)).toBe('1.0.0');
    expect(r.err).not.toContain('no trust root pinned');
    expect(existsSync(join(dir, 'state'))).toBe(true);

    const installed = await w.run(['install', 'a'], { cwd: sub });
    expect(installed.code, installed.err).toBe(0);
    const lock = parseLockfile(await readFile(join(sub, 'granary.lock'), 'utf8'), 'granary.lock');
    expect(lock.registry).toBe('../../../one/index');
  });

  it('the search for a project config file stops at the root of the git repository', async () => {
    const w = await world();
    await write(join(w.work, '.granary', 'config.yaml'), config(w.one));
    expect((await w.run(['resolve', 'a'])).err).toContain('no registry given');
    expect(resolved(await w.run(['resolve', 'a', '--json'], { cwd: join(w.work, 'one') }))).toBe('1.0.0');
  });

  it('GRANARY_CONFIG names another user config file, which must exist', async () => {
    const w = await world();
    await write(w.userConfig, config(w.two));
    await write(join(w.project, 'ci.yaml'), config(w.one));
    expect(resolved(await w.run(['resolve', 'a', '--json'], { env: { GRANARY_CONFIG: 'ci.yaml' } }))).toBe('1.0.0');

    await write(join(w.work, 'xdg', 'granary', 'config.yaml'), config(w.one));
    const xdg = { XDG_CONFIG_HOME: join(w.work, 'xdg') };
    expect(resolved(await w.run(['resolve', 'a', '--json'], { env: xdg }))).toBe('1.0.0');

    const missing = await w.run(['resolve', 'a'], { env: { GRANARY_CONFIG: 'nope.yaml' } });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error: GRANARY_CONFIG names a config file that does not exist');
    expect(missing.err).toContain(`at: ${join(w.project, 'nope.yaml')}`);
  });

  it('an unknown key is a usage error naming the file and line, and the keys there are', async () => {
    const w = await world();
    await write(w.userConfig, `registry: ${w.one.indexDir}\nregisty: ${w.two.indexDir}\n`);
    const r = await w.run(['resolve', 'a']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: unknown key "registy" in ${w.userConfig}:2`);
    expect(r.err).toContain('fix: the keys of a config file are registry, trustKey, trustRoot, cache, jobs');

    await write(w.projectConfig, 'registry: [a, b]\n');
    const list = await w.run(['resolve', 'a']);
    expect(list.code).toBe(2);
    expect(list.err).toContain(`error: registry in ${w.projectConfig}:1 must be a non-empty string, not a list`);
  });

  it("a malformed trustKey in the user's config file is a usage error naming the file and line", async () => {
    const w = await world();
    await write(w.userConfig, `registry: ${w.one.indexDir}\ntrustKey: ed25519:nope\n`);
    const r = await w.run(['info', 'a', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({
      error: 'usage',
      message: `trustKey in ${w.userConfig}:2 is not an Ed25519 public key: "ed25519:nope"`,
    });
  });

  it('a registry that cannot be opened names where it was configured', async () => {
    const w = await world();
    const url = await unreachableUrl();
    const fromEnv = await w.run(['resolve', 'a'], { env: { GRANARY_REGISTRY: url } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.err).toMatch(/^error: could not reach the registry: .* \(registry from GRANARY_REGISTRY\)$/m);

    await write(w.projectConfig, `\nregistry: ${join(w.work, 'nowhere')}\n`);
    const fromFile = await w.run(['install', 'a']);
    expect(fromFile.code).not.toBe(0);
    expect(fromFile.err).toContain(`(registry from ${w.projectConfig}:2)`);

    const wrongKey = `registry: ${w.one.indexDir}\ntrustKey: ${w.two.publicKey}\n`;
    await write(w.projectConfig, wrongKey);
    const mismatch = await w.run(['info', 'a']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.err).toContain(`(registry from ${w.projectConfig}:1; trust key from ${w.projectConfig}:2)`);
  });

  it('a bad jobs value names where it was set', async () => {
    const w = await world();
    await write(w.userConfig, `${config(w.one)}jobs: many\n`);
    const fromFile = await w.run(['install', 'a']);
    expect(fromFile.code).toBe(2);
    expect(fromFile.err).toContain(`error: jobs in ${w.userConfig}:3 must be a whole number of at least 1, not "many"`);
    expect(fromFile.err).toContain('fix: e.g. jobs: 8');

    const fromEnv = await w.run(['install', 'a'], { env: { GRANARY_JOBS: '0' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.err).toContain('error: GRANARY_JOBS must be a whole number of at least 1, not "0"');

    const flag = await w.run(['install', 'a', '--jobs', '2'], { env: { GRANARY_JOBS: '0' } });
    expect(flag.code, flag.err).toBe(0);
  });
});
