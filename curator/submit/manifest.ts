/** The author's manifest at the tag (`granary.yaml`, else `package.json`): the fields `granary submit` takes from it. */
import { InputError } from '../../core/errors.js';
import { parseManifest as parseProjectManifest } from '../../core/project-manifest.js';
import type { SourceFacts } from './source-facts.js';

/** The keys read; anything else in the file is left alone. `files` is read from granary.yaml only. */
export interface ManifestFields {
  name?: unknown;
  description?: unknown;
  license?: unknown;
  dependencies?: unknown;
  keywords?: unknown;
  homepage?: unknown;
  owners?: unknown;
  files?: unknown;
}

/** Parse the manifest's text; an empty object when there is no manifest. */
export function parseManifest(manifest: SourceFacts['manifest']): ManifestFields {
  if (!manifest) return {};
  let value: unknown;
  if (manifest.file === 'package.json') {
    try {
      value = JSON.parse(manifest.text);
    } catch (cause) {
      throw new InputError(`package.json at the tag is not valid JSON: ${(cause as Error).message}`, {
        where: 'package.json',
        cause,
      });
    }
  } else {
    // The project manifest's one reader: a bad dependency is refused at its granary.yaml line.
    const read = parseProjectManifest(manifest.text, manifest.file);
    value = read.hasDependencies ? { ...read.fields, dependencies: read.requests } : read.fields;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${manifest.file} must be a mapping`, { where: manifest.file });
  const fields = value as ManifestFields;
  // package.json's `files` is npm's list of paths, not Granary's include/exclude.
  return manifest.file === 'granary.yaml' ? fields : { ...fields, files: undefined };
}
