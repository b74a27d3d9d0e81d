/** The registry.yaml a new registry starts with. */
import { stringify } from 'yaml';
import type { RegistryFile } from '../../schema/types.js';
import { LOCAL_STORE } from '../defaults.js';

export interface InitOptions {
  name: string;
  /** owner/repo of the registry on GitHub. */
  github?: string;
  /** Accept file:// sources and publish to a local fs: store (demos, tests, air-gapped use). */
  local?: boolean;
  /** Where the generated workflows install the CLI from: a git source pinned to a full commit SHA. */
  cliSource?: string;
}

/** The settings of a new registry. */
export function initialRegistryFile(options: InitOptions): RegistryFile {
  const file: RegistryFile = { name: options.name, description: `The ${options.name} package registry.` };
  if (options.github) file.github = options.github;
  file.trustees = [];
  file.maintainers = [];
  file.scopes = {};
  file.reservedNames = [];
  file.sources = options.local
    ? { hosts: ['github.com'], schemes: ['https', 'file'] }
    : { hosts: ['github.com'], schemes: ['https'] };
  file.limits = { maxPackagesPerPr: 10, maxDefinitionBytes: 16384 };
  file.unpublishWindowHours = 72;
  if (options.local) file.stores = [LOCAL_STORE];
  else if (options.github) file.stores = [`github:${options.github}`];
  return file;
}

/** registry.yaml text with a comment per section. */
export function registryYaml(options: InitOptions): string {
  const header = [
    `# Settings of the ${options.name} registry. Changes need a maintainer or trustee.`,
    '# trustees: GitHub logins that fix bounds, yank, unpublish and approve transfers.',
    '# maintainers: logins that may change files outside packages/ and overrides/.',
    '# scopes: scope name (without @) to the logins that own it.',
    options.local
      ? `# sources: this is a local registry; file:// git sources are accepted. Releases go to ${LOCAL_STORE}.`
      : '# sources: hosts and URL schemes package sources may come from.',
    '',
  ].join('\n');
  return header + stringify(initialRegistryFile(options), { lineWidth: 0 });
}
