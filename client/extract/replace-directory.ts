/** Put a fully extracted package in place: the old directory moved aside, the new one moved in, the old one removed. */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError } from '../../core/errors.js';

/**
 * Move `staged` to `target` (inside `root`), replacing whatever is there. Directories between `root`
 * and `target` must be real directories: a symbolic link there is refused, never followed. A link at
 * `target` itself is moved aside and removed like a directory would be (the link, not what it points to).
 * `aside` is a scratch directory on the same filesystem.
 */
export async function replaceDirectory(staged: string, root: string, target: string, aside: string): Promise<void> {
  const parts = relative(root, target).split(sep);
  if (parts.length === 0 || parts.some((p) => p === '' || p === '..'))
    throw new TypeError(`${target} is not inside ${root}`);
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const info = await lstat(dir).catch(() => undefined);
    if (!info)
      await mkdir(dir, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) =>
        error.code === 'EEXIST' ? undefined : Promise.reject(error),
      );
    else if (!info.isDirectory()) {
      throw new InputError(
        `refusing to install through ${dir}: it is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}`,
        {
          where: dir,
          hint: 'remove it, or install into another --dir',
        },
      );
    }
  }
  const existing = await lstat(target).catch(() => undefined);
  if (!existing) {
    await rename(staged, target);
    return;
  }
  const old = join(aside, `old-${randomBytes(6).toString('hex')}`);
  await rename(target, old);
  try {
    await rename(staged, target);
  } catch (error) {
    await rename(old, target);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}
