/**
 * What the site reads from a verified tarball, without unpacking it to disk: the path of every regular
 * file, and the bytes of the few it shows. Unpacking a thousand small packages costs seconds of file
 * creation and removal; reading them in memory costs none. It is the installer's own tarball reader
 * (client/extract/read-tarball.ts), so a tarball that `granary install` refuses is refused here too,
 * for the same reason.
 */
import { assetStem } from '../../core/names.js';
import { TARBALL_LIMITS } from '../../core/tarball-contract.js';
import { readTarball } from '../extract/read-tarball.js';

export interface TarballFiles {
  /** Regular files, relative to the package root, `/`-separated, sorted. */
  paths: string[];
  /** The bytes of the files `keep` chose, each cut at `maxBytes`. */
  contents: Map<string, Buffer>;
}

/** The files of `pkg`'s tarball (`<stem>-<version>/…`), keeping the contents of those `keep` names. */
export async function readTarballFiles(
  tarball: Buffer,
  pkg: { name: string; version: string },
  keep: (path: string) => boolean,
  maxBytes: number,
): Promise<TarballFiles> {
  const paths: string[] = [];
  const contents = new Map<string, Buffer>();
  await readTarball(
    tarball,
    {
      label: `${pkg.name}@${pkg.version}`,
      top: `${assetStem(pkg.name)}-${pkg.version}`,
      hint: 'the tarball is not one a Granary curator builds — report it to the registry operators',
    },
    TARBALL_LIMITS,
    {
      directory() {},
      file(rel, data) {
        paths.push(rel);
        if (keep(rel)) contents.set(rel, data.subarray(0, maxBytes));
      },
    },
  );
  return { paths: paths.sort(), contents };
}
