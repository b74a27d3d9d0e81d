/** Write converted definitions into a registry working tree, never over an existing file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { DEFAULT_LIMITS } from '../../core/registry-config.js';
import type { PackageDefinition } from '../../schema/types.js';
import { definitionPath } from '../registry/layout.js';
import { parseDefinition, type ReaderSettings } from '../registry/parse.js';
import { definitionYaml } from '../submit/definition.js';

/** A definition of an import, as the file it becomes. */
export interface ConvertedDefinition {
  path: string;
  text: string;
  definition: PackageDefinition;
}

/** A package or version an import leaves out, and why. */
export interface Skipped {
  name: string;
  version?: string;
  reason: string;
}

const DEFAULT_SETTINGS: ReaderSettings = { limits: { maxDefinitionBytes: DEFAULT_LIMITS.maxDefinitionBytes } };

/**
 * The file `definition` becomes, read back by the registry's one reader with `registry`'s settings: the
 * reason it refuses it (rule named) instead, so an import writes only what the gate would accept as a file.
 */
export function checkedDefinition(
  definition: PackageDefinition,
  registry: ReaderSettings = DEFAULT_SETTINGS,
): ConvertedDefinition | string {
  const path = definitionPath(definition.name, definition.version);
  const text = definitionYaml(definition);
  const problem = parseDefinition(text, path, registry).problems.find((p) => p.severity === 'error');
  return problem ? `${problem.message} [${problem.rule}]` : { path, text, definition };
}

export interface Written {
  written: string[];
  skipped: Skipped[];
}

/** Write each definition at `repoDir/<path>`; existing files are published and left alone. */
export async function writeDefinitions(repoDir: string, definitions: ConvertedDefinition[]): Promise<Written> {
  const root = resolve(repoDir);
  const written: string[] = [];
  const skipped: Skipped[] = [];
  for (const d of definitions) {
    const full = resolve(root, d.path);
    if (!full.startsWith(root + sep)) {
      skipped.push({ name: d.definition.name, version: d.definition.version, reason: 'its path leaves the registry' });
      continue;
    }
    await mkdir(dirname(full), { recursive: true });
    try {
      await writeFile(full, d.text, { flag: 'wx' });
      written.push(d.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      skipped.push({
        name: d.definition.name,
        version: d.definition.version,
        reason: 'already in the registry (published files are never replaced)',
      });
    }
  }
  return { written, skipped };
}
