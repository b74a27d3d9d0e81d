/**
 * The project manifest `granary.yaml`, read: a mapping whose `dependencies:` (name → range) is what a
 * project asks for, and whose other keys describe the package when its author submits it. Read as
 * hostile input (size cap, no aliases or tags, line numbers in every error). The client edits it
 * (client/manifest.ts); `granary submit` takes its package fields.
 */
import { dictionary } from './dictionary.js';
import { InputError, shown } from './errors.js';
import { nameError } from './names.js';
import { normalizeRange, rangeReadError } from './ranges.js';
import { loadYaml } from './yaml.js';

/** A project's granary.yaml is small; a larger one is not a manifest someone wrote. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

const HINT = 'granary.yaml\'s dependencies map package names to ranges, e.g. "dependencies:\\n  left-pad: ^1.2.0"';

export interface Manifest {
  /** What the project asks for: name → range in normal form (core/ranges.ts). */
  requests: Record<string, string>;
  /** Whether the file has a `dependencies` key at all. */
  hasDependencies: boolean;
  /** Every top-level key, as read (the package fields `granary submit` takes). */
  fields: Record<string, unknown>;
  /** The text it was read from; edits start from it. */
  text: string;
}

/** Parse granary.yaml's text; a problem is an InputError at `file:line:col`. */
export function parseManifest(text: string, file: string): Manifest {
  const loaded = loadYaml(text, MAX_MANIFEST_BYTES);
  const at = (path: ReadonlyArray<string>): string => {
    const { line, col } = loaded.locate(path);
    return `${file}:${line}:${col}`;
  };
  const issue = loaded.issues[0];
  if (issue) throw new InputError(issue.message, { where: `${file}:${issue.line}:${issue.col}`, hint: HINT });
  const top = loaded.value;
  const requests = dictionary<string>();
  if (top === null || top === undefined) return { requests, hasDependencies: false, fields: {}, text };
  if (typeof top !== 'object' || Array.isArray(top))
    throw new InputError('granary.yaml must be a mapping of keys (dependencies:, name:, …)', {
      where: at([]),
      hint: HINT,
    });
  const fields = top as Record<string, unknown>;
  const deps = fields.dependencies;
  if (deps === null || deps === undefined) return { requests, hasDependencies: false, fields, text };
  if (typeof deps !== 'object' || Array.isArray(deps))
    throw new InputError('dependencies must be a mapping of package name → range', {
      where: at(['dependencies']),
      hint: HINT,
    });
  for (const [name, range] of Object.entries(deps)) {
    const badName = nameError(name);
    if (badName)
      throw new InputError(`dependencies: ${shown(name, 40)} is not a package name: ${badName}`, {
        where: at(['dependencies', name]),
        hint: HINT,
      });
    const badRange = rangeReadError(range);
    if (badRange)
      throw new InputError(`dependencies.${name}: ${badRange}`, {
        where: at(['dependencies', name]),
        hint: HINT,
      });
    requests[name] = normalizeRange(range)!;
  }
  return { requests, hasDependencies: true, fields, text };
}
