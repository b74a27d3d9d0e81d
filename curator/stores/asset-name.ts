/** Which asset names and asset paths a store accepts: nothing that GitHub would rename or a path could escape with. */
import { assetStem, nameError, releaseTag, tarballName, versionReleaseTag } from '../../core/names.js';
import { versionError } from '../../core/versions.js';

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_ASSET_NAME = 200;

/** Why `name` cannot be an asset name, or undefined when it can. */
export function assetNameError(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'an asset name must be a non-empty string';
  if (name.length > MAX_ASSET_NAME) return `an asset name is at most ${MAX_ASSET_NAME} characters`;
  // A leading "." would also let a name collide with the stores' hidden temporary files.
  if (!ASSET_NAME.test(name)) return 'an asset name uses only [A-Za-z0-9._-] and starts with a letter or digit';
  return undefined;
}

/** Split a release tag into package name and part; undefined when `tag` is not one `releaseTag` makes. */
export function parseReleaseTag(tag: string): { name: string; part: number } | undefined {
  const match = /^(.+)\.([1-9][0-9]{0,5})$/.exec(tag);
  const candidates = match
    ? [
        { name: match[1]!, part: Number(match[2]) },
        { name: tag, part: 1 },
      ]
    : [{ name: tag, part: 1 }];
  for (const candidate of candidates) {
    try {
      if (releaseTag(candidate.name, candidate.part) === tag) return candidate;
    } catch {
      // not a valid name: try the next reading
    }
  }
  return undefined;
}

/** Split a per-version release tag (`versionReleaseTag`) into package name and version; undefined otherwise. */
export function parseVersionReleaseTag(tag: string): { name: string; version: string } | undefined {
  const at = tag.lastIndexOf('@');
  if (at <= 0) return undefined;
  const name = tag.slice(0, at);
  const version = tag.slice(at + 1);
  if (nameError(name) !== undefined || versionError(version) !== undefined) return undefined;
  return versionReleaseTag(name, version) === tag ? { name, version } : undefined;
}

/** The version whose asset `fileName` is (`tarballName(pkg, version)` or its `.sha256` sidecar); undefined for any other name. */
export function versionOfAsset(pkg: string, fileName: string): string | undefined {
  const tarball = fileName.endsWith('.sha256') ? fileName.slice(0, -'.sha256'.length) : fileName;
  const prefix = `${assetStem(pkg)}-`;
  if (!tarball.startsWith(prefix) || !tarball.endsWith('.tar.gz')) return undefined;
  const version = tarball.slice(prefix.length, -'.tar.gz'.length);
  return versionError(version) === undefined && tarballName(pkg, version) === tarball ? version : undefined;
}
