/** Write converted definitions into a registry working tree, never over an existing file. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { ConvertedDefinition, Skipped } from './purescript.js';

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
