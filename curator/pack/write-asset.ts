/** Write a tarball and its `.sha256` sidecar without ever replacing different bytes already there. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssetConflictError } from '../../core/errors.js';

export interface WrittenAsset {
  tarball: string;
  sidecar: string;
  /** False when identical files were already there. */
  created: boolean;
}

/** The sidecar text, as `sha256sum -c` reads it. */
export function sidecarText(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}\n`;
}

/** Write `<dir>/<fileName>` and `<dir>/<fileName>.sha256`; identical existing files are fine, different ones are an AssetConflictError. */
export async function writeAsset(dir: string, fileName: string, bytes: Buffer, sha256: string): Promise<WrittenAsset> {
  const tarball = join(dir, fileName);
  const sidecar = `${tarball}.sha256`;
  const createdTarball = await writeOnce(tarball, bytes);
  const createdSidecar = await writeOnce(sidecar, Buffer.from(sidecarText(sha256, fileName), 'utf8'));
  return { tarball, sidecar, created: createdTarball || createdSidecar };
}

async function writeOnce(path: string, bytes: Buffer): Promise<boolean> {
  try {
    // 'wx' fails if anything is there, so a concurrent writer can never be overwritten either.
    await writeFile(path, bytes, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const existing = await readFile(path);
  if (!existing.equals(bytes)) {
    throw new AssetConflictError(
      'a different file already exists at the output path; published assets are never overwritten',
      {
        where: path,
        hint: 'move the old file away if it is not published, or check why the same version packs differently (the tag may have moved)',
      },
    );
  }
  return false;
}
