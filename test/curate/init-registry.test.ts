import { TEST_KEY } from '../helpers/keys.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { generateKeyPair } from '../../core/signing.js';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { pagesUrl } from '../../curator/init/readme.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { createRegistry } from '../../curator/init/create-registry.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createFixture } from './fixture.js';
import { gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

let server: StaticServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('curate on a registry made by granary init', () => {
  it('publishes without refusing the placeholders init writes', async () => {
    const f = await createFixture();
    const dir = join(await tempDir(), 'registry');
    await createRegistry(dir, { name: 'fresh', local: true });
    const settings = await readFile(join(dir, 'registry.yaml'), 'utf8');
    await writeFile(join(dir, 'registry.yaml'), `${settings}publicKey: ${TEST_KEY.publicKey}\n`);
    const url = await f.source('alpha', ['1.0.0']);
    await mkdir(join(dir, 'packages/alpha'), { recursive: true });
    await writeFile(join(dir, 'packages/alpha/1.0.0.yaml'), f.definition('alpha', '1.0.0', url));
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-qm', 'Publish alpha');

    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: dir,
      stores: [createFsStore(join(dir, 'releases'))],
    });
    expect(report.refused).toEqual([]);
    expect(report.published.map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@1.0.0']);
  });

  it("the generated README's install command works as written on a clone of the registry", async () => {
    const f = await createFixture();
    const root = await tempDir();
    const dir = join(root, 'seed');
    await createRegistry(dir, { name: 'fresh', local: true, github: 'acme/registry' });
    const keys = generateKeyPair();
    const settings = await readFile(join(dir, 'registry.yaml'), 'utf8');
    await writeFile(join(dir, 'registry.yaml'), `${settings}publicKey: ${keys.publicKey}\n`);
    const url = await f.source('alpha', ['1.0.0']);
    await mkdir(join(dir, 'packages/alpha'), { recursive: true });
    await writeFile(join(dir, 'packages/alpha/1.0.0.yaml'), f.definition('alpha', '1.0.0', url));
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-qm', 'Publish alpha');
    const report = await curate({
      repoDir: dir,
      stores: [createFsStore(join(root, 'releases'))],
      signingKeyPem: keys.privateKeyPem,
    });
    expect(report.published).toHaveLength(1);

    // A user clones the registry, as the README says, and runs its command with a name and the key.
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('`https://raw.githubusercontent.com/acme/registry/index`');
    const clone =
      /git clone (https:\/\/github\.com\/acme\/registry)`\): `(granary install <name> --registry \.\/(\S+) --trust-key <publicKey>)`/.exec(
        readme,
      );
    expect(clone).not.toBeNull();
    const user = await tempDir();
    await gitIn(user, 'clone', '-q', dir, clone![3]!);
    const args = clone![2]!.replace('<name>', 'alpha').replace('<publicKey>', keys.publicKey).split(' ').slice(1);
    const io = memoryIo({ cwd: user });
    expect(await main(args, io), io.err.join('')).toBe(0);
    expect(await readFile(join(user, 'granary_packages', 'alpha', 'src', 'index.js'), 'utf8')).toContain(
      "version = '1.0.0'",
    );
  });

  it("the generated README's Pages command works as written against the index branch served under a path", async () => {
    const f = await createFixture();
    const root = await tempDir();
    const dir = join(root, 'seed');
    await createRegistry(dir, { name: 'fresh', local: true, github: 'acme/registry' });
    // GitHub Pages serves the index branch at https://acme.github.io/registry/; here, a loopback server at /registry/.
    const site = join(root, 'site');
    await mkdir(join(site, 'registry'), { recursive: true });
    server = await serveDirectory(site);
    const keys = generateKeyPair();
    const settings = await readFile(join(dir, 'registry.yaml'), 'utf8');
    await writeFile(
      join(dir, 'registry.yaml'),
      `${settings}publicKey: ${keys.publicKey}\nassetBase: ${server.url}/releases\n`,
    );
    const url = await f.source('alpha', ['1.0.0']);
    await mkdir(join(dir, 'packages/alpha'), { recursive: true });
    await writeFile(join(dir, 'packages/alpha/1.0.0.yaml'), f.definition('alpha', '1.0.0', url));
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-qm', 'Publish alpha');
    await curate({ repoDir: dir, stores: [createFsStore(join(site, 'releases'))], signingKeyPem: keys.privateKeyPem });
    const archive = execFileSync('git', ['archive', '--format=tar', 'index'], { cwd: dir });
    execFileSync('tar', ['-x', '-C', join(site, 'registry')], { input: archive });

    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    const command =
      /```\n(granary install <name> --registry https:\/\/acme\.github\.io\/registry --trust-key <publicKey>)\n```/.exec(
        readme,
      );
    expect(command, readme).not.toBeNull();
    const args = command![1]!
      .replace('<name>', 'alpha')
      .replace('<publicKey>', keys.publicKey)
      .replace('https://acme.github.io/registry', `${server.url}/registry`)
      .split(' ')
      .slice(1);
    const user = await tempDir();
    const io = memoryIo({ cwd: user });
    expect(await main(args, io), io.err.join('')).toBe(0);
    expect(await readFile(join(user, 'granary_packages', 'alpha', 'src', 'index.js'), 'utf8')).toContain(
      "version = '1.0.0'",
    );
    expect(server.requests.some((r) => r.path.startsWith('/registry/') && r.status === 200)).toBe(true);
  });

  it("names the owner's own Pages site at the root", () => {
    expect(pagesUrl('Acme', 'registry')).toBe('https://acme.github.io/registry');
    expect(pagesUrl('Acme', 'acme.github.io')).toBe('https://acme.github.io');
  });
});
