/**
 * `DIR/.granary-state.json`: what installs put in the install directory, so that they replace and
 * remove only their own work. Each package directory is recorded with its version, tarball hash and
 * content hash; a directory that is not recorded, or whose files no longer have the recorded content
 * hash, belongs to someone else and is never replaced or removed without `--force`.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { dictionary } from '../core/dictionary.js';
import { GranaryError } from '../core/errors.js';
import { nameError } from '../core/names.js';
import { directoryContentHash } from './extract/content-hash.js';
import { writeFileAtomic } from './sources/atomic-write.js';

export const STATE_FILE = '.granary-state.json';

/** One package directory an install wrote. */
export interface InstalledRecord {
  version: string;
  /** SHA-256 of the tarball it was extracted from. */
  sha256: string;
  /** The content hash of the directory as extracted; absent in records of earlier granary versions. */
  contentHash?: string;
  /** The index's marks when it was installed (what `granary list` shows without reading the index). */
  deprecated?: string;
  yanked?: true;
  /**
   * Set while an install moves packages into place: the directory may hold the earlier version, this
   * one, or nothing. The next install replaces it without comparing content hashes.
   */
  pending?: true;
}

export interface InstallState {
  format: 2;
  packages: Record<string, InstalledRecord>;
}

/** The package directory of `name` under the install directory (`DIR/@scope/name` for scoped names). */
export function packageDir(dir: string, name: string): string {
  return join(dir, ...name.split('/'));
}

/** What installs recorded in `dir` (format 1, from earlier versions, has no content hashes); anything unreadable counts as nothing recorded. */
export async function readInstallState(dir: string): Promise<InstallState> {
  const packages = dictionary<InstalledRecord>();
  try {
    const value = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as {
      format?: unknown;
      packages?: Record<string, Partial<Record<keyof InstalledRecord, unknown>>>;
    };
    if ((value?.format !== 1 && value?.format !== 2) || typeof value.packages !== 'object' || value.packages === null)
      return { format: 2, packages };
    for (const [name, p] of Object.entries(value.packages)) {
      if (nameError(name) || typeof p?.sha256 !== 'string' || typeof p.version !== 'string') continue;
      packages[name] = {
        version: p.version,
        sha256: p.sha256,
        ...(typeof p.contentHash === 'string' ? { contentHash: p.contentHash } : {}),
        ...(typeof p.deprecated === 'string' ? { deprecated: p.deprecated } : {}),
        ...(p.yanked === true ? { yanked: true as const } : {}),
        ...(p.pending === true ? { pending: true as const } : {}),
      };
    }
  } catch {
    // No state file, or one that is not JSON: nothing is recorded.
  }
  return { format: 2, packages };
}

/** Write the state atomically, packages sorted by name. */
export async function writeInstallState(dir: string, state: InstallState): Promise<void> {
  const packages = dictionary<InstalledRecord>();
  for (const name of Object.keys(state.packages).sort()) packages[name] = state.packages[name]!;
  await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify({ format: 2, packages }, null, 2)}\n`);
}

/** Why the existing `path` is not an install's own to replace or remove, or undefined when it is. */
export async function notOurs(path: string, record: InstalledRecord | undefined): Promise<string | undefined> {
  if (!record) return 'granary did not install it';
  if (record.pending || record.contentHash === undefined) return undefined;
  const info = await lstat(path).catch(() => undefined);
  if (info && !info.isDirectory()) return 'it is no longer the directory granary installed';
  if ((await directoryContentHash(path)) !== record.contentHash)
    return `its files changed since granary installed ${record.version} there`;
  return undefined;
}

/** A directory an install would have to replace or remove. */
export interface RefusedDirectory {
  path: string;
  /** `replace` (with `by`) or `remove`. */
  action: 'replace' | 'remove';
  /** The package that would take its place. */
  by?: string;
  reason: string;
}

/** An install would replace or remove a directory it did not install, or that was changed since. */
export class ForeignDirectoryError extends GranaryError {
  override readonly code = 'foreign-directory';
  constructor(
    readonly directories: RefusedDirectory[],
    cwd: string,
  ) {
    const shown = (p: string): string => {
      const rel = relative(cwd, p);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
    };
    const line = (d: RefusedDirectory): string =>
      `${d.action} ${shown(d.path)}${d.by ? ` (with ${d.by})` : ''}: ${d.reason}`;
    super(
      directories.length === 1
        ? `refusing to ${line(directories[0]!)}`
        : `refusing to touch ${directories.length} directories:\n${directories.map((d) => `  - ${line(d)}`).join('\n')}`,
      {
        where: shown(directories[0]!.path),
        hint:
          directories.length === 1
            ? 'move it out of the way (it may be your own work) and run the command again, or pass --force to let granary replace or remove it'
            : 'move them out of the way (they may be your own work) and run the command again, or pass --force to let granary replace or remove them',
      },
    );
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), directories: this.directories };
  }
}
