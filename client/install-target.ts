/** A package an install places: its locked entry, and the index line it came from (when the index still has it). */
import { IntegrityError } from '../core/errors.js';
import { hexFromIntegrity } from '../core/hash.js';
import type { IndexLine } from '../schema/types.js';
import { checkAssetPath } from './fetch/asset-path.js';
import type { LockedPackage } from './lockfile.js';
import type { Registry } from './types.js';

export interface Target extends LockedPackage {
  name: string;
  line: IndexLine | undefined;
}

/** The target of a resolved index line; refuses a line whose integrity and sha256 disagree or whose asset path could leave the asset base. */
export function targetOf(line: IndexLine, registry: Registry, locate: (asset: string) => string): Target {
  const label = `${line.name}@${line.version}`;
  if (hexFromIntegrity(line.integrity) !== line.sha256) {
    throw new IntegrityError(`the index line of ${label} has an integrity that does not match its sha256`, {
      where: registry.source.description,
      hint: 'the index is damaged; use the registry itself or another mirror',
    });
  }
  checkAssetPath(line.asset, label);
  return {
    name: line.name,
    version: line.version,
    asset: line.asset,
    url: locate(line.asset),
    size: line.size,
    sha256: line.sha256,
    integrity: line.integrity,
    dependencies: { ...line.dependencies },
    line,
  };
}

/** The lockfile entry of a target. */
export function lockedOf(t: Target): LockedPackage {
  return {
    version: t.version,
    asset: t.asset,
    url: t.url,
    size: t.size,
    sha256: t.sha256,
    integrity: t.integrity,
    dependencies: t.dependencies,
  };
}

/** Warn about a deprecated or yanked version. */
export function noteStatus(t: Target, locked: boolean, warn: (m: string) => void): void {
  const label = `${t.name}@${t.version}`;
  if (t.line?.deprecated) warn(`${label} is deprecated: ${t.line.deprecated}`);
  if (t.line?.yanked) warn(`${label} is yanked${locked ? '; kept because the lockfile pins it' : ''}`);
}
