/** registry.yaml read from a tree, with problems located in the file; defaults when it is absent or broken. */
import type { Problem } from '../../core/errors.js';
import { registryConfigFrom, type RegistryConfig } from '../../core/registry-config.js';
import { schemas, validateRegistryFile } from '../../schema/validators.js';
import type { RegistryFile } from '../../schema/types.js';
import { REGISTRY_YAML } from './paths.js';
import { readYamlFile } from './read-yaml-file.js';
import { schemaProblems } from './schema-rule.js';
import type { RegistryTree } from './types.js';

export interface RegistrySettings {
  config: RegistryConfig;
  present: boolean;
  problems: Problem[];
}

const MAX_REGISTRY_YAML_BYTES = 256 * 1024;
const KEYS = Object.keys(schemas.registry.properties);

/** The defaults used when a tree has no usable registry.yaml. */
export function defaultConfig(): RegistryConfig {
  return registryConfigFrom({ name: 'registry' });
}

/** Read and check registry.yaml of `tree`. */
export async function readRegistrySettings(tree: RegistryTree): Promise<RegistrySettings> {
  const entry = (await tree.list(REGISTRY_YAML)).find((e) => e.path === REGISTRY_YAML);
  if (!entry) return { config: defaultConfig(), present: false, problems: [] };
  if (entry.kind !== 'file') {
    return {
      config: defaultConfig(),
      present: true,
      problems: [
        {
          file: REGISTRY_YAML,
          line: 1,
          col: 1,
          severity: 'error',
          rule: 'symlink',
          message: 'registry.yaml must be a regular file',
        },
      ],
    };
  }
  const read = await readYamlFile(tree, REGISTRY_YAML, entry.size, MAX_REGISTRY_YAML_BYTES);
  if (!read.loaded || read.problems.length > 0)
    return { config: defaultConfig(), present: true, problems: read.problems };
  const problems = schemaProblems(REGISTRY_YAML, read.loaded, validateRegistryFile, KEYS);
  if (problems.length > 0) return { config: defaultConfig(), present: true, problems };
  return { config: registryConfigFrom(read.loaded.value as RegistryFile), present: true, problems: [] };
}
