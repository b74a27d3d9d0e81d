/** The `fs:DIR` store: `DIR/<tag>/<file>` on disk, written atomically and never overwritten. */
import { removeStale } from '../../core/stale-files.js';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetConflictError, InputError, StoreError, shown } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { releaseTag } from '../../core/names.js';
import { assetNameError, parseReleaseTag } from './asset-name.js';
import type { PutResult, ReleaseStore } from './store.js';

// 0 where the platform has no O_NOFOLLOW; the lstat checks below still refuse links there.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A store in directory `dir`: scoped tags keep their `/`, so `@scope/name` is two directory levels. */
export function createFsStore(dir: string): ReleaseStore {
  const root = resolve(dir);
  const spec = `fs:${root}`;
  // Release directories already cleared of temporaries a killed run left, once per store.
  const swept = new Set<string>();

  /** The directory of `tag`, every level checked to be a real directory (created when `create`). */
  async function tagDir(tag: string, create: boolean): Promise<string | undefined> {
    let current = root;
    if (create) await mkdir(root, { recursive: true });
    for (const part of tag.split('/')) {
      current = join(current, part);
      const kind = await kindOf(current);
      if (kind === 'absent') {
        if (!create) return undefined;
        try {
          await mkdir(current);
        } catch (error) {
          if (codeOf(error) !== 'EEXIST') throw fsError(error, 'creating a release directory', current);
        }
        if ((await kindOf(current)) !== 'directory') throw notADirectory(current);
      } else if (kind !== 'directory') {
        throw notADirectory(current);
      }
    }
    return current;
  }

  async function put(pkg: string, fileName: string, bytes: Uint8Array): Promise<PutResult> {
    const tag = tagOf(pkg);
    checkAssetName(fileName, pkg);
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const directory = (await tagDir(tag, true))!;
    if (!swept.has(directory)) {
      swept.add(directory);
      await removeStale(directory, TEMP_FILE);
    }
    const target = join(directory, fileName);
    const result = (status: PutResult['status']): PutResult => ({ asset: `${tag}/${fileName}`, status, url: target });

    if ((await kindOf(target)) !== 'absent') {
      await compareExisting(target, data, `${tag}/${fileName}`);
      return result('reused');
    }
    const temp = await writeTemp(directory, fileName, data);
    try {
      // link() never replaces an existing file, so of two writers exactly one creates the asset.
      await link(temp, target);
    } catch (error) {
      if (codeOf(error) === 'EEXIST') {
        await compareExisting(target, data, `${tag}/${fileName}`);
        return result('reused');
      }
      if (codeOf(error) === 'EPERM' || codeOf(error) === 'ENOTSUP' || codeOf(error) === 'EXDEV') {
        throw new StoreError(
          `the store directory does not support hard links, which it needs to publish without overwriting`,
          {
            where: directory,
            hint: 'put the fs: store on a local POSIX filesystem (ext4, xfs, apfs, …)',
            cause: error,
          },
        );
      }
      throw fsError(error, 'publishing an asset', target);
    } finally {
      await unlink(temp).catch(() => {});
    }
    await syncDirectory(directory);
    return result('created');
  }

  async function find(pkg: string, fileName: string): Promise<string | undefined> {
    const tag = tagOf(pkg);
    checkAssetName(fileName, pkg);
    const directory = await tagDir(tag, false);
    if (directory === undefined) return undefined;
    const kind = await kindOf(join(directory, fileName));
    if (kind === 'absent') return undefined;
    if (kind !== 'file') throw notAFile(join(directory, fileName));
    return `${tag}/${fileName}`;
  }

  async function get(asset: string): Promise<Buffer | undefined> {
    const { tag, fileName } = parseAsset(asset);
    const directory = await tagDir(tag, false);
    if (directory === undefined) return undefined;
    const path = join(directory, fileName);
    const kind = await kindOf(path);
    if (kind === 'absent') return undefined;
    if (kind !== 'file') throw notAFile(path);
    return readRegularFile(path);
  }

  async function remove(pkg: string, fileName: string): Promise<boolean> {
    const tag = tagOf(pkg);
    checkAssetName(fileName, pkg);
    const directory = await tagDir(tag, false);
    if (directory === undefined) return false;
    const path = join(directory, fileName);
    const kind = await kindOf(path);
    if (kind === 'absent') return false;
    if (kind !== 'file') throw notAFile(path);
    try {
      await unlink(path);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false;
      throw fsError(error, 'removing an asset', path);
    }
    await syncDirectory(directory);
    return true;
  }

  /** Every regular file under the root, `/`-separated, symlinks and other entries included as names. */
  async function list(): Promise<string[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
      if (codeOf(error) === 'ENOENT') return [];
      throw fsError(error, 'listing the store', root);
    });
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  }

  return { spec, assetBase: pathToFileURL(root).href, put, find, get, remove, list };
}

/** Same bytes: fine. Different bytes: a loud AssetConflictError, and the file stays as it was. */
async function compareExisting(path: string, data: Buffer, asset: string): Promise<void> {
  const existing = await readRegularFile(path);
  if (existing.equals(data)) return;
  throw new AssetConflictError(
    `asset ${asset} already exists with different bytes (existing sha256 ${sha256Hex(existing)}, new sha256 ${sha256Hex(data)})`,
    {
      where: path,
      hint: 'published assets are never replaced: find out why the build differs (a moved ref, a changed packer) and publish a new version instead',
    },
  );
}

/** The names `writeTemp` gives: `.<asset>.<pid>.<12 hex>.tmp`. */
export const TEMP_FILE = /^\.[A-Za-z0-9._-]+\.\d+\.[0-9a-f]{12}\.tmp$/;

/** Write `data` to a fresh hidden file next to the target and flush it to disk. */
async function writeTemp(directory: string, fileName: string, data: Buffer): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const temp = join(directory, `.${fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    let handle: FileHandle;
    try {
      handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o644);
    } catch (error) {
      if (codeOf(error) === 'EEXIST' && attempt < 5) continue;
      throw fsError(error, 'writing a temporary file', temp);
    }
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw fsError(error, 'writing a temporary file', temp);
    }
    await handle.close();
    return temp;
  }
}

/** Read a file that must be a regular file, refusing to follow a link swapped in at the last moment. */
async function readRegularFile(path: string): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW);
  } catch (error) {
    if (codeOf(error) === 'ELOOP') throw notAFile(path);
    throw fsError(error, 'reading an asset', path);
  }
  try {
    if (!(await handle.stat()).isFile()) throw notAFile(path);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the new name durable; some platforms cannot open directories, which is fine to skip.
  const handle = await open(directory, constants.O_RDONLY).catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close().catch(() => {});
}

type Kind = 'absent' | 'file' | 'directory' | 'symlink' | 'other';

async function kindOf(path: string): Promise<Kind> {
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return 'symlink';
    if (stats.isFile()) return 'file';
    if (stats.isDirectory()) return 'directory';
    return 'other';
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return 'absent';
    throw fsError(error, 'inspecting the store', path);
  }
}

function tagOf(pkg: string): string {
  try {
    return releaseTag(pkg);
  } catch (error) {
    throw new InputError(`not a package name: ${shown(pkg)}`, {
      where: 'release store',
      hint: 'package names look like `name` or `@scope/name`',
      cause: error,
    });
  }
}

function checkAssetName(fileName: string, pkg: string): void {
  const problem = assetNameError(fileName);
  if (problem)
    throw new InputError(`invalid asset name ${shown(fileName)}: ${problem}`, {
      where: pkg,
      hint: 'asset names come from `tarballName()` and `sidecarFor()`',
    });
}

/** `<tag>/<file>` back into its parts; anything else (`..`, absolute paths, unknown tags) is refused. */
function parseAsset(asset: string): { tag: string; fileName: string } {
  const slash = typeof asset === 'string' ? asset.lastIndexOf('/') : -1;
  const tag = slash > 0 ? asset.slice(0, slash) : '';
  const fileName = slash > 0 ? asset.slice(slash + 1) : '';
  if (parseReleaseTag(tag) === undefined || assetNameError(fileName) !== undefined) {
    throw new InputError(`not an asset path of this store: ${shown(asset)}`, {
      where: 'fs store',
      hint: 'asset paths look like `<tag>/<file>`, e.g. `@scope/name/scope_name-1.0.0.tar.gz`',
    });
  }
  return { tag, fileName };
}

function notADirectory(path: string): StoreError {
  return new StoreError('a release directory in the store is a symlink or not a directory; refusing to follow it', {
    where: path,
    hint: 'remove the stray entry (the store only ever creates plain directories and files)',
  });
}

function notAFile(path: string): StoreError {
  return new StoreError('an asset in the store is a symlink or not a regular file; refusing to follow it', {
    where: path,
    hint: 'remove the stray entry and publish again (the store only ever creates plain files)',
  });
}

function fsError(error: unknown, action: string, path: string): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`${action} failed: ${message}`, {
    where: path,
    hint: 'check that the store directory exists and is writable',
    cause: error,
  });
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}
