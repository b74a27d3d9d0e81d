/** A temporary Granary registry converted from the real PureScript registry snapshot, for benchmarks. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../../curator/init/create-registry.js';
import { convertPurescript, readPurescriptSnapshot, type Skipped } from '../../curator/import/purescript.js';
import { writeDefinitions } from '../../curator/import/write-definitions.js';
import { runGit } from '../../core/git/run.js';
import { PURESCRIPT_DATA } from './shared-data.js';
import type { BenchResult } from './types.js';

/** Where the snapshot lives: ../shared/data next to the repository, or $GRANARY_PURESCRIPT_DATA. */
export function purescriptDataDir(): string {
  return PURESCRIPT_DATA;
}

/** A benchmark's result when the snapshot is absent: skipped, saying where it was looked for. */
export function skippedWithoutData(name: string, unit: string, dir = purescriptDataDir()): BenchResult[] {
  return [{ name, value: 0, unit, note: `skipped: the PureScript registry snapshot is absent (looked in ${dir})` }];
}

/** Whether the snapshot is present (benchmarks skip, saying so, when it is not). */
export function hasPurescriptData(dir = purescriptDataDir()): boolean {
  return existsSync(join(dir, 'index')) && existsSync(join(dir, 'metadata'));
}

export interface BuiltRegistry {
  dir: string;
  definitions: number;
  skipped: Skipped[];
  remove(): Promise<void>;
}

const IDENTITY = ['-c', 'user.name=granary bench', '-c', 'user.email=bench@localhost.invalid'];

/** Convert the snapshot into a new registry repository in a temporary folder, committed on main. */
export async function buildPurescriptRegistry(dataDir = purescriptDataDir()): Promise<BuiltRegistry> {
  const parent = await mkdtemp(join(tmpdir(), 'granary-bench-'));
  const dir = join(parent, 'registry');
  const remove = () => rm(parent, { recursive: true, force: true });
  try {
    await createRegistry(dir, { name: 'purescript' });
    const conversion = convertPurescript(await readPurescriptSnapshot(dataDir));
    const written = await writeDefinitions(dir, conversion.definitions);
    await runGit(dir, ['add', '-A', '--', 'packages']);
    await runGit(dir, [
      ...IDENTITY,
      'commit',
      '-q',
      '--no-verify',
      '--no-gpg-sign',
      '-m',
      'Import the PureScript registry',
    ]);
    return { dir, definitions: written.written.length, skipped: [...conversion.skipped, ...written.skipped], remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
