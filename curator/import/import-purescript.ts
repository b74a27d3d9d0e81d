/** `granary import purescript`: a PureScript snapshot written as definitions into a registry made by `granary init`. */
import { isGitHubLogin } from '../../core/names.js';
import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { Git } from '../git/repository.js';
import { REGISTRY_YAML } from '../registry/layout.js';
import { parseRegistrySettings, validSettings } from '../registry/parse.js';
import { convertPurescript, PURESCRIPT_FILES, readPurescriptSnapshot, type Skipped } from './purescript.js';
import { writeDefinitions } from './write-definitions.js';

/** The PureScript registry snapshot to import and the registry working tree it is written into. */
export interface ImportOptions {
  /** The snapshot: a folder with index/ and metadata/. */
  dir: string;
  /** The registry working tree written into (never committed). */
  out: string;
  /** Owner for packages whose metadata names no GitHub login and whose source is not on GitHub. */
  owner?: string;
}

/** The definition files written, and the versions left out with the reason. */
export interface ImportReport {
  /** Paths written, relative to `out`. */
  written: string[];
  skipped: Skipped[];
  /** Whether registry.yaml got PureScript's packing defaults (`files`); false when it had its own. */
  packingDefaults: boolean;
}

/** Convert the snapshot with the rules of `out`'s registry.yaml and write what passes; the rest is reported. */
export async function importPurescript(options: ImportOptions): Promise<ImportReport> {
  const { out, owner } = options;
  const registryBytes = await readFile(join(out, REGISTRY_YAML)).catch(() => undefined);
  if (registryBytes === undefined) {
    throw new UsageError(`${out} is not a Granary registry (no ${REGISTRY_YAML})`, {
      where: out,
      hint: 'create one with `granary init DIR`, then pass --out DIR',
    });
  }
  if (owner !== undefined && !isGitHubLogin(owner))
    throw new UsageError(`--owner must be a GitHub login, got ${JSON.stringify(owner.slice(0, 80))}`);
  await new Git(out).requireRepository('create one with `granary init DIR`, then pass --out DIR');
  const registry = validSettings(parseRegistrySettings(registryBytes, join(out, REGISTRY_YAML)));
  const snapshot = await readPurescriptSnapshot(options.dir);
  const conversion = convertPurescript(snapshot, { registry, ...(owner ? { fallbackOwner: owner } : {}) });
  const result = await writeDefinitions(out, conversion.definitions);
  // Definitions add to what PureScript always packs: the registry must pack that by default, or tarballs
  // lose their sources (an `add` of LICENSE alone) or gain tests and tooling files.
  const packingDefaults = registry.files.include === undefined && registry.files.exclude.length === 0;
  if (packingDefaults)
    await writeFile(join(out, REGISTRY_YAML), `${registryBytes.toString('utf8').trimEnd()}\n${purescriptFilesYaml()}`);
  return { written: result.written, skipped: [...conversion.skipped, ...result.skipped], packingDefaults };
}

/** registry.yaml `files` with what the PureScript registry always packs. */
function purescriptFilesYaml(): string {
  return `# What every tarball packs unless its definition says otherwise: what the PureScript registry packs\n# (written by \`granary import purescript\`; definitions' \`files.add\` are its includeFiles).\n${stringify({ files: PURESCRIPT_FILES })}`;
}
