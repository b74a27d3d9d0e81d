// A real registry repository for app tests: registry.yaml on main, and a package's own source repository.
import { createRepo, type TestRepo } from '../../helpers/git.js';
import { TEST_KEY } from '../../helpers/keys.js';

export const REGISTRY_YAML = `name: test-registry
publicKey: ${TEST_KEY.publicKey}
github: granary-test/registry
trustees: [trusty]
sources:
  hosts: [github.com]
  schemes: [https, file]
`;

/** A registry with registry.yaml committed on main; returns the repo and the base commit. */
export async function createRegistry(): Promise<{ registry: TestRepo; base: string }> {
  const registry = await createRepo();
  await registry.write('registry.yaml', REGISTRY_YAML);
  const base = await registry.commit('registry settings');
  return { registry, base };
}

/** A definition file's text. */
export function definition(fields: {
  name: string;
  version: string;
  location: string;
  owners?: string[];
  extra?: string;
}): string {
  return [
    `name: ${fields.name}`,
    `version: ${fields.version}`,
    'description: Pads strings on the left.',
    'license: MIT',
    'location:',
    `  ${fields.location}`,
    `ref: v${fields.version}`,
    `owners: [${(fields.owners ?? ['Codertocat']).join(', ')}]`,
    ...(fields.extra ? [fields.extra] : []),
    '',
  ].join('\n');
}

/** A package's source repository with a tag `v<version>`. */
export async function createSource(version = '1.0.0'): Promise<TestRepo> {
  const source = await createRepo();
  await source.write('README.md', '# left-pad\n');
  await source.write('src/index.js', 'export const leftPad = (s, n, c = " ") => s.padStart(n, c);\n');
  await source.commit('first');
  await source.tag(`v${version}`);
  return source;
}
