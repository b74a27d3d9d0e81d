/** A registry repository, source repositories and an fs: store, all real and temporary, for curate tests. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Git } from '../../curator/git/repository.js';
import { createRepo, gitIn, type TestRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { TEST_KEY } from '../helpers/keys.js';

export interface Fixture {
  registry: TestRepo;
  storeDir: string;
  /** A source repository with tags v1.0.0, v1.1.0 …, served by file:// URL. */
  source(name: string, versions: string[]): Promise<string>;
  /** The text of a definition file for `name@version` from `url`. */
  definition(name: string, version: string, url: string, extra?: string): string;
  registryYaml(extra?: string): string;
  indexFile(path: string, branch?: string): Promise<string | undefined>;
  indexCommits(branch?: string): Promise<string[]>;
  asset(path: string): Promise<Buffer | undefined>;
}

export async function createFixture(): Promise<Fixture> {
  const registry = await createRepo();
  const storeDir = join(await tempDir('granary-store-'), 'releases');
  const sourcesRoot = await tempDir('granary-sources-');
  return {
    registry,
    storeDir,
    async source(name, versions) {
      const repo = await createRepo(join(sourcesRoot, name));
      for (const version of versions) {
        await repo.write('README.md', `# ${name} ${version}\n`);
        await repo.write('src/index.js', `export const version = '${version}';\n`);
        await repo.commit(`release ${version}`);
        await repo.tag(`v${version}`);
      }
      return pathToFileURL(repo.dir).href;
    },
    definition(name, version, url, extra = '') {
      return (
        [
          `name: ${name}`,
          `version: "${version}"`,
          'license: MIT',
          `description: The ${name} package`,
          'location:',
          `  git: ${url}`,
          `ref: v${version}`,
          'owners: [alice]',
          extra,
        ]
          .filter(Boolean)
          .join('\n') + '\n'
      );
    },
    registryYaml(extra = '') {
      const key = /^publicKey:/m.test(extra) ? '' : `publicKey: ${TEST_KEY.publicKey}`;
      return (
        ['name: test-registry', 'sources:', '  schemes: [https, file]', '  hosts: [github.com]', key, extra]
          .filter(Boolean)
          .join('\n') + '\n'
      );
    },
    async indexFile(path, branch = 'index') {
      const { stdout, code } = await new Git(registry.dir).run(['cat-file', 'blob', `refs/heads/${branch}:${path}`], {
        okCodes: [128],
      });
      return code === 0 ? stdout.toString('utf8') : undefined;
    },
    async indexCommits(branch = 'index') {
      try {
        return (await gitIn(registry.dir, 'rev-list', `refs/heads/${branch}`)).split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    async asset(path) {
      try {
        return await readFile(join(storeDir, path));
      } catch {
        return undefined;
      }
    },
  };
}

/** Two packages merged in one commit, with a fixed asset base so every run's index bytes can be compared. */
export async function twoVersions(): Promise<Fixture> {
  const f = await createFixture();
  const a = await f.source('alpha', ['1.0.0']);
  const b = await f.source('beta', ['1.0.0']);
  await f.registry.write('registry.yaml', f.registryYaml('assetBase: https://assets.example.test'));
  await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', a));
  await f.registry.write(
    'packages/beta/1.0.0.yaml',
    f.definition('beta', '1.0.0', b, 'dependencies:\n  alpha: "^1.0.0"'),
  );
  await f.registry.commit('Publish alpha and beta');
  return f;
}
