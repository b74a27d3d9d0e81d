// Names that are also Object.prototype's keys (`constructor`, `tostring`, `hasownproperty`), as package
// names, a scope and dependency keys, through the gate, curate, install and a frozen reinstall; and
// `__proto__` where it can only ever be a key: in a lockfile and in registry.yaml's scopes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { parseLockfile } from '../../client/lockfile.js';
import { registryConfigFrom } from '../../core/registry-config.js';
import { generateKeyPair } from '../../core/signing.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { tempDir } from '../helpers/tmp.js';
import { createFixture } from './fixture.js';

const NAMES = ['constructor', 'tostring', 'hasownproperty', 'valueof'];

describe('names that Object.prototype also has', () => {
  it('are ordinary names for the gate, curate, install and --frozen', async () => {
    const f = await createFixture();
    const keys = generateKeyPair();
    await f.registry.write('registry.yaml', f.registryYaml(`publicKey: ${keys.publicKey}`));
    await f.registry.commit('settings');
    await f.registry.git('checkout', '-q', '-b', 'pr');
    for (const name of NAMES) {
      const url = await f.source(name, ['1.0.0']);
      const deps = NAMES.filter((n) => n < name).map((n) => `  ${n}: "^1.0.0"`);
      const extra = deps.length > 0 ? `dependencies:\n${deps.join('\n')}` : '';
      await f.registry.write(`packages/${name}/1.0.0.yaml`, f.definition(name, '1.0.0', url, extra));
    }
    await f.registry.commit('Add packages');
    const validate = async (head: string) => {
      const io = memoryIo({ cwd: f.registry.dir });
      const args = ['validate', '--repo', f.registry.dir, '--base', 'main', '--head', head, '--author', 'alice'];
      const code = await main([...args, '--offline'], io);
      expect(io.text()).not.toMatch(/is not a function|native code|TypeError/);
      return { code, text: io.text() };
    };
    expect(await validate('pr')).toMatchObject({ code: 0 });

    // A scope nobody registered, named like a prototype key: refused with a message, never a crash.
    await f.registry.git('checkout', '-q', '-b', 'scoped');
    const scoped = await f.source('widget', ['1.0.0']);
    const widget = f.definition('@constructor/widget', '1.0.0', scoped);
    await f.registry.write(
      'packages/@constructor/widget/1.0.0.yaml',
      widget.replace('name: @constructor/widget', 'name: "@constructor/widget"'),
    );
    await f.registry.commit('Add a scoped package');
    const refused = await validate('scoped');
    expect(refused.code, refused.text).toBe(1);
    expect(refused.text).toMatch(/packages\/@constructor\/widget\/1\.0\.0\.yaml:\d+:\d+: error: .*scope/);

    await f.registry.git('checkout', '-q', 'main');
    await f.registry.git('merge', '-q', '--ff-only', 'pr');
    const report = await curate({
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
      signingKeyPem: keys.privateKeyPem,
    });
    expect(report.refused).toEqual([]);
    expect(report.published.map((p) => p.name).sort()).toEqual([...NAMES].sort());

    const project = await tempDir();
    const install = async (extra: string[]) => {
      const out = memoryIo({ cwd: project });
      const result = await main(['install', ...extra, '--cache', join(project, '.cache')], out);
      return { code: result, text: [...out.out, ...out.err].join('') };
    };
    const first = await install(['valueof', '--registry', f.registry.dir, '--trust-key', keys.publicKey]);
    expect(first.code, first.text).toBe(0);
    for (const name of NAMES) {
      expect(JSON.parse(await readFile(join(project, 'granary_packages', name, 'granary.json'), 'utf8'))).toMatchObject(
        { name },
      );
    }
    const frozen = await install(['constructor', '--frozen']);
    expect(frozen.text).not.toMatch(/native code|function Object/);
    expect(frozen.code, frozen.text).toBe(1);
    expect(frozen.text).toMatch(/constructor/);
    const again = await install(['--frozen']);
    expect(again.code, again.text).toBe(0);
  });

  it('keeps __proto__ an ordinary key in a lockfile and in registry.yaml scopes', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    // Written as text: an object literal's `__proto__` would set the prototype instead of a key.
    const text = '{"lockfileVersion":1,"registry":"r","snapshotVersion":1,"requests":{},"packages":{"__proto__":{}}}';
    await writeFile(join(dir, 'granary.lock'), text);
    // The name rule refuses it as a key, rather than it replacing the object's prototype.
    expect(() => parseLockfile(text, 'granary.lock')).toThrow(/not a package name/);
    const config = registryConfigFrom({
      name: 'r',
      scopes: JSON.parse('{"__proto__": ["mallory"]}') as Record<string, string[]>,
    });
    expect(Object.getPrototypeOf(config.scopes)).toBeNull();
    expect(config.scopes['constructor']).toBeUndefined();
  });
});
