/**
 * Write a site into its directory incrementally: a file is written only when its bytes differ from what
 * is on disk, and files an earlier build wrote that this one does not
 * are removed. The list of what was built is kept in `.granary-site.json`; a directory that is neither
 * empty nor a site built this way is refused, so a mistyped `--out` never removes anyone's files.
 */
import { lstat, mkdir, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { mapParallel } from '../fetch/parallel.js';
import { writeFileAtomic } from '../sources/atomic-write.js';
import type { SiteFile } from './layout.js';

export const SITE_MANIFEST = '.granary-site.json';

export interface WriteReport {
  /** Paths written (new or changed). */
  written: string[];
  unchanged: number;
  /** Paths an earlier build wrote that this one no longer has, now removed. */
  removed: string[];
}

interface Manifest {
  format: 1;
  files: string[];
}

/** Files compared or written at once. */
const WRITE_JOBS = 16;

const SAFE_PATH = /^(?:[A-Za-z0-9@._-]+\/)*[A-Za-z0-9@._-]+$/;

/** Put `files` in `dir`, touching only what changed. */
export async function writeSite(dir: string, files: readonly SiteFile[]): Promise<WriteReport> {
  const previous = await readManifest(dir);
  const report: WriteReport = { written: [], unchanged: 0, removed: [] };
  const paths = new Set<string>();
  for (const file of files) {
    if (!SAFE_PATH.test(file.path) || file.path.split('/').some((s) => s === '.' || s === '..'))
      throw new TypeError(`not a site path: ${JSON.stringify(file.path)}`);
    if (paths.has(file.path)) throw new TypeError(`two site files at ${file.path}`);
    paths.add(file.path);
  }
  // Many files at once: each comparison and write waits on the disk, rarely on this process.
  await mapParallel(files, WRITE_JOBS, async (file) => {
    const bytes = typeof file.bytes === 'string' ? Buffer.from(file.bytes, 'utf8') : file.bytes;
    const target = join(dir, ...file.path.split('/'));
    if (await sameBytes(target, bytes)) report.unchanged++;
    else {
      await writeFileAtomic(target, bytes);
      report.written.push(file.path);
    }
  });
  for (const old of previous.files) {
    if (paths.has(old) || !SAFE_PATH.test(old) || old.split('/').includes('..')) continue;
    const target = join(dir, ...old.split('/'));
    if ((await lstat(target).catch(() => undefined))?.isFile()) {
      await rm(target, { force: true });
      report.removed.push(old);
      await removeEmptyParents(dir, dirname(target));
    }
  }
  const manifest: Manifest = { format: 1, files: [...paths].sort() };
  await writeFileAtomic(join(dir, SITE_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return report;
}

async function sameBytes(path: string, bytes: Buffer): Promise<boolean> {
  // One read, no stat first: almost every file of a rebuild is unchanged, so its bytes are read anyway.
  const current = await readFile(path).catch(() => undefined);
  return current !== undefined && current.equals(bytes);
}

/** What an earlier build wrote; nothing for a new or empty directory; a refusal for anything else. */
async function readManifest(dir: string): Promise<Manifest> {
  const info = await lstat(dir).catch(() => undefined);
  if (info === undefined) {
    await mkdir(dir, { recursive: true });
    return { format: 1, files: [] };
  }
  if (!info.isDirectory())
    throw new UsageError('the site directory is not a directory', { where: dir, hint: 'choose another --out' });
  let text: string | undefined;
  try {
    text = await readFile(join(dir, SITE_MANIFEST), 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    if ((await readdir(dir)).length === 0) return { format: 1, files: [] };
    throw new UsageError(`the directory is not empty and holds no site built by granary (no ${SITE_MANIFEST})`, {
      where: dir,
      hint: 'give --out a new or empty directory, or the directory of a site built before',
    });
  }
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    if (parsed.format === 1 && Array.isArray(parsed.files))
      return { format: 1, files: parsed.files.filter((f): f is string => typeof f === 'string') };
  } catch {
    // fall through
  }
  throw new UsageError(`${SITE_MANIFEST} is damaged`, {
    where: join(dir, SITE_MANIFEST),
    hint: 'remove the site directory and build it again',
  });
}

/** Remove directories left empty, up to (not including) the site directory. */
async function removeEmptyParents(root: string, dir: string): Promise<void> {
  let current = dir;
  while (current !== root && relative(root, current) !== '' && !relative(root, current).startsWith(`..${sep}`)) {
    if ((await readdir(current).catch(() => ['?'])).length > 0) return;
    await rmdir(current).catch(() => undefined);
    current = dirname(current);
  }
}
