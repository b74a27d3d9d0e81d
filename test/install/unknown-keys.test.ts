// Format 2 evolves by adding keys: a client ignores keys it does not know in index lines, config.json and
// packages.json. An index whose every file type carries a key from the future still resolves and installs.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { indexPath } from '../../core/index-path.js';
import { loadPrivateKey } from '../../core/signing.js';
import { writeIndexDirectory } from '../../curator/index/index-from-lines.js';
import { rootBytes, singleKeyRoot } from '../../curator/index/tuf/root.js';
import { writeGeneration } from '../../curator/index/tuf/repository.js';
import { serveDirectory, type StaticServer } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry } from './fixture-registry.js';

const servers: StaticServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Add a key to every JSON object of a file (nested ones included); an index file is one JSON value per line. */
function withFutureKeys(text: string, perLine: boolean): string {
  const add = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(add);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = { zFuture: { added: 'in format 2.9' } };
      for (const [k, v] of Object.entries(value)) out[k] = k === 'dependencies' ? v : add(v);
      return out;
    }
    return value;
  };
  if (perLine) {
    return text
      .split('\n')
      .map((line) => (line.trim() === '' ? line : JSON.stringify(add(JSON.parse(line)))))
      .join('\n');
  }
  return `${JSON.stringify(add(JSON.parse(text)))}\n`;
}

describe('unknown keys', () => {
  it('in index lines, config.json and packages.json: the index still resolves and installs', async () => {
    const work = await tempDir();
    const registry = await buildRegistry(join(work, 'origin'), [
      { name: 'app', version: '1.0.0', dependencies: { lib: '^1.0.0' } },
      { name: 'lib', version: '1.0.0' },
    ]);
    // The same target files with a future key everywhere, signed as a registry from the future would.
    const targets = new Map<string, Buffer>();
    for (const path of [indexPath('app'), indexPath('lib'), 'config.json', 'packages.json']) {
      const original = await readFile(join(registry.indexDir, path), 'utf8');
      const future = withFutureKeys(original, !path.endsWith('.json'));
      expect(future).not.toBe(original);
      expect(future).toContain('"zFuture"');
      targets.set(path, Buffer.from(future));
    }
    const key = loadPrivateKey(registry.privateKeyPem);
    const written = await writeGeneration({
      current: undefined,
      changed: targets,
      roots: [rootBytes(singleKeyRoot(key))],
      onlineKey: key,
      commit: 'f'.repeat(40),
      createdAt: '2030-01-01T00:00:00Z',
      now: Date.now(),
    });
    const site = join(work, 'future');
    await writeIndexDirectory(
      join(site, 'index'),
      [...written.changes].filter((e): e is [string, Buffer] => e[1] !== null),
    );
    const server = await serveDirectory(site);
    servers.push(server);

    const project = join(work, 'project');
    await mkdir(project);
    const run = async (args: string[]) => {
      const io = memoryIo({ cwd: project });
      const code = await main([...args, '--cache', join(work, 'cache'), '--json'], io);
      return { code, json: JSON.parse(io.text()), err: io.err.join('') };
    };
    const common = ['--registry', `${server.url}/index`, '--trust-key', registry.publicKey];
    const resolved = await run(['resolve', 'app', ...common]);
    expect(resolved.code, JSON.stringify(resolved.json)).toBe(0);
    const search = await run(['search', 'app', ...common]);
    expect(search.code, JSON.stringify(search.json)).toBe(0);
    const installed = await run(['install', 'app', ...common, '--assets', registry.assetsDir]);
    expect(installed.code, JSON.stringify(installed.json)).toBe(0);
    expect(installed.json.packages.map((p: { name: string }) => p.name)).toEqual(['app', 'lib']);
  });
});
