/** The `.sha256` sidecar published next to every tarball: `<hex>  <file>\n`, the format `sha256sum -c` reads. */
import { InputError } from '../../core/errors.js';
import { assetNameError } from './asset-name.js';

export interface Sidecar {
  fileName: string;
  bytes: Buffer;
}

/** The sidecar asset for `fileName` whose SHA-256 is `sha256hex`. */
export function sidecarFor(fileName: string, sha256hex: string): Sidecar {
  const problem = assetNameError(fileName);
  if (problem) throw new TypeError(`sidecar for an invalid asset name ${JSON.stringify(fileName)}: ${problem}`);
  if (!/^[0-9a-f]{64}$/.test(sha256hex))
    throw new TypeError(`not a lowercase SHA-256 hex digest: ${JSON.stringify(sha256hex)}`);
  return { fileName: `${fileName}.sha256`, bytes: Buffer.from(`${sha256hex}  ${fileName}\n`, 'utf8') };
}

/** Read a sidecar back: the digest and the file it names; InputError when it is not one. */
export function parseSidecar(bytes: Uint8Array, where = 'sidecar'): { sha256: string; fileName: string } {
  const text = Buffer.from(bytes).toString('utf8');
  const match = /^([0-9a-f]{64}) {2}([A-Za-z0-9._-]+)\n?$/.exec(text);
  if (!match) {
    throw new InputError('a .sha256 sidecar must be one line "<64 hex digits>  <file name>"', {
      where,
      hint: 'republish the sidecar from the tarball, e.g. with `sha256sum <file>`',
    });
  }
  return { sha256: match[1]!, fileName: match[2]! };
}
