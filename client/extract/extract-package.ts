/** Unpack one package's verified tarball: its `<stem>-<version>/` top directory is the tarball contract's. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assetStem } from '../../core/names.js';
import type { TarballLimits } from '../../core/tarball-contract.js';
import { extractTarball, type ExtractStats } from './safe-extract.js';

/**
 * Extract `tarball`, the package `name@version`'s, into `dest` (which must not exist; its parent is made)
 * with the safe extractor: regular files and directories only, nothing outside `dest`, within `limits`.
 * Throws UnsafeArchiveError (and removes `dest`) on anything else.
 */
export async function extractPackage(
  tarball: Buffer,
  dest: string,
  pkg: { name: string; version: string },
  limits: Partial<TarballLimits> = {},
): Promise<ExtractStats> {
  const label = `${pkg.name}@${pkg.version}`;
  await mkdir(dirname(dest), { recursive: true });
  return extractTarball(tarball, dest, { label, top: `${assetStem(pkg.name)}-${pkg.version}` }, limits);
}
