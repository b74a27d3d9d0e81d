/** granary.json: the effective definition baked into the tarball (override at publish time applied, commit resolved). */
import { canonicalJson } from '../../core/canonical-json.js';
import type { Dependencies, Override, PackageDefinition } from '../../schema/types.js';

export const MANIFEST_FORMAT = 1;

export interface Manifest extends PackageDefinition {
  format: typeof MANIFEST_FORMAT;
  commit: string;
  dependencies: Dependencies;
  /** The override present when the version was packed; its `dependencies` already replaced the definition's. */
  override?: Override;
}

/** The manifest as a value. */
export function buildManifest(definition: PackageDefinition, commit: string, override?: Override): Manifest {
  const manifest: Manifest = {
    ...definition,
    format: MANIFEST_FORMAT,
    commit,
    dependencies: override?.dependencies ?? definition.dependencies ?? {},
  };
  if (override) manifest.override = { ...override };
  return manifest;
}

/** The manifest's bytes: keys sorted at every level, two-space indented, one trailing newline. */
export function manifestBytes(manifest: Manifest): Buffer {
  // canonicalJson sorts keys; re-indenting keeps that order because no key here is an integer-like string.
  return Buffer.from(`${JSON.stringify(JSON.parse(canonicalJson(manifest)), null, 2)}\n`, 'utf8');
}
