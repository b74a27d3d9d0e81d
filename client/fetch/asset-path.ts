/** Asset paths (`<tag>/<file>` from index lines) are hostile input: they must never lead out of the asset base. */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.js';

const SEGMENT = /^[A-Za-z0-9@._-]+$/;

/** Why `asset` is not a safe relative asset path, or undefined. */
export function assetPathError(asset: string): string | undefined {
  if (typeof asset !== 'string' || asset.length === 0) return 'an asset path must be a non-empty string';
  if (asset.length > 512) return 'an asset path is at most 512 characters';
  const segments = asset.split('/');
  if (segments.length < 2) return 'an asset path looks like <tag>/<file>';
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return 'an asset path has no empty, "." or ".." segments';
    if (!SEGMENT.test(segment)) return 'an asset path uses only [A-Za-z0-9@._-] and "/"';
  }
  return undefined;
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

/** Refuse an unsafe asset path, naming the package it belongs to. */
export function checkAssetPath(asset: string, where: string): void {
  const error = assetPathError(asset);
  if (error) throw new InputError(`unsafe asset path ${JSON.stringify(asset.slice(0, 120))}: ${error}`, { where, hint: 'the index names an asset outside the asset base; use a registry whose index is intact' });
}

/** Where an asset lives under a base: a URL for HTTP(S) bases, an absolute path otherwise. */
export function assetLocation(base: string, asset: string, cwd: string): string {
  checkAssetPath(asset, asset);
  // Every segment is [A-Za-z0-9@._-]: nothing to percent-encode.
  if (isHttpUrl(base)) return `${base.replace(/\/+$/, '')}/${asset}`;
  return join(directoryOf(base, cwd), ...asset.split('/'));
}
