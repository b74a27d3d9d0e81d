/** `--registry` → an index source: `http(s)://…`, a directory of index files, or a git clone (`git:` / `dir:` force one). */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, shown } from '../../core/errors.js';
import { TIMESTAMP_PATH } from '../../core/tuf-layout.js';

/** Where `granary mirror` puts the index inside its destination. */
export const MIRROR_INDEX_DIR = 'index';
import { directorySource } from './directory-source.js';
import { gitSource } from './git-source.js';
import { httpSource } from './http-source.js';
import type { OpenedSource } from './opened-source.js';
import type { SourceOptions } from './options.js';

export type { OpenedSource } from './opened-source.js';
export type { SourceOptions } from './options.js';

export async function openSource(spec: string, options: SourceOptions): Promise<OpenedSource> {
  const source = await openAny(spec, options);
  if (options.snapshot !== undefined && source.kind !== 'git')
    throw new UsageError(
      '--snapshot reads older generations from the history of the index branch: it needs a git clone',
      {
        where: source.description,
        hint: 'clone the registry (git clone <repository>) and pass the clone to --registry',
      },
    );
  return source;
}

async function openAny(spec: string, options: SourceOptions): Promise<OpenedSource> {
  const trimmed = spec.trim();
  if (trimmed === '')
    throw new UsageError('no registry given', {
      hint: 'pass --registry with an https:// URL, a directory of index files, or a git clone of the registry',
    });
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch (cause) {
      throw new UsageError(`not a valid URL: ${shown(trimmed)}`, { cause });
    }
    return httpSource(trimmed, options);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && !/^file:/i.test(trimmed)) {
    throw new UsageError(`unsupported registry URL scheme: ${shown(trimmed)}`, {
      hint: 'use https://, http://, file://, a directory, or a git clone',
    });
  }
  if (trimmed.startsWith('git:')) return gitSource(trimmed.slice(4), options);
  if (trimmed.startsWith('dir:')) return directorySource(trimmed.slice(4), options);
  const path = /^file:/i.test(trimmed) ? fileURLToPath(trimmed) : resolve(options.cwd, trimmed);
  if (!(await isDirectory(path)))
    throw new UsageError(`the registry directory does not exist`, {
      where: path,
      hint: 'pass an https:// URL, a directory holding the index (metadata/), a mirror, or a git clone of the registry',
    });
  // A directory that holds metadata/timestamp.json is an index, one whose index/ does is a mirror;
  // otherwise it must be a clone whose index branch we read.
  if (await exists(join(path, TIMESTAMP_PATH))) return directorySource(path, options);
  if (await exists(join(path, MIRROR_INDEX_DIR, TIMESTAMP_PATH)))
    return directorySource(join(path, MIRROR_INDEX_DIR), options);
  return gitSource(path, options);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
