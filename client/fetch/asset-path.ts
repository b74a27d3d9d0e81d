/** Asset paths (`<tag>/<file>` from index lines) are hostile input: they must never lead out of the asset base. */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.js';

const DISK_SEGMENT = /^[A-Za-z0-9@._-]+$/;
const URL_SEGMENT = /^(?:[A-Za-z0-9@._-]|%[0-9A-Fa-f]{2})+$/;

/**
 * The directory segments of an asset path on disk. An asset path is a URL path relative to the asset
 * base: a GitHub store writes a scoped tag as one encoded segment (`%40acme%2Fwidgets/…`), which on
 * disk (fs: stores, mirrors) is the two directories `@acme/widgets/…`. Undefined when unsafe.
 */
function diskSegments(asset: string): string[] | undefined {
  const out: string[] = [];
  for (const segment of asset.split('/')) {
    if (!URL_SEGMENT.test(segment)) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    for (const part of decoded.split('/')) {
      if (part === '' || part === '.' || part === '..' || !DISK_SEGMENT.test(part)) return undefined;
      out.push(part);
    }
  }
  return out.length >= 2 ? out : undefined;
}

/** Why `asset` is not a safe relative asset path, or undefined. */
export function assetPathError(asset: string): string | undefined {
  if (typeof asset !== 'string' || asset.length === 0) return 'an asset path must be a non-empty string';
  if (asset.length > 512) return 'an asset path is at most 512 characters';
  if (asset.split('/').length < 2) return 'an asset path looks like <tag>/<file>';
  if (diskSegments(asset) === undefined)
    return 'an asset path uses only [A-Za-z0-9@._-], "/" and %-escapes of them, with no empty, "." or ".." segments';
  return undefined;
}

/** The asset's path below a directory base, one directory per segment (`%2F` in a tag is a directory level). */
export function assetDiskSegments(asset: string): string[] {
  checkAssetPath(asset, asset);
  return diskSegments(asset)!;
}

/** Whether a base is an HTTP(S) URL (otherwise it is a directory path or a `file://` URL). */
export function isHttpUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** A directory path from a directory base or `file://` URL, made absolute against `cwd`. */
export function directoryOf(base: string, cwd: string): string {
  const dir = /^file:\/\//i.test(base) ? fileURLToPath(base) : base;
  return isAbsolute(dir) ? dir : join(cwd, dir);
}

/** Refuse an unsafe asset path; `where` names the package (or the asset base) it came with. */
export function checkAssetPath(asset: string, where: string): void {
  const error = assetPathError(asset);
  if (error)
    throw new InputError(`unsafe asset path ${JSON.stringify(asset.slice(0, 120))}: ${error}`, {
      where,
      hint: 'the index names an asset outside the asset base: the index is damaged or hostile; rebuild it, or use a registry or mirror whose index is intact',
    });
}

/** Where an asset lives under a base: a URL for HTTP(S) bases, an absolute path otherwise. */
export function assetLocation(base: string, asset: string, cwd: string, where: string = asset): string {
  checkAssetPath(asset, where);
  // An asset path is already a URL path: it is appended as it is, and decoded only for the disk.
  if (isHttpUrl(base)) return `${base.replace(/\/+$/, '')}/${asset}`;
  return join(directoryOf(base, cwd), ...assetDiskSegments(asset));
}
