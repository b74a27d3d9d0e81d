/**
 * The project manifest `granary.yaml`: what a project depends on (`dependencies:`, name → range). The
 * same file an author's package keeps for `granary submit`; its other keys are left alone. Read as
 * hostile input (size cap, no aliases or tags, line numbers in every error), and edited in place so the
 * user's comments, key order and other keys survive.
 */
import { open } from 'node:fs/promises';
import { isMap, isScalar, parseDocument, type Pair } from 'yaml';
import { InputError } from '../core/errors.js';
import { MAX_MANIFEST_BYTES, parseManifest, type Manifest } from '../core/project-manifest.js';
import { writeFileAtomic } from './sources/atomic-write.js';

export { MAX_MANIFEST_BYTES, parseManifest, type Manifest };

/** The manifest at `path` (named `file` in messages), or undefined when there is none. */
export async function readManifest(path: string, file = path): Promise<Manifest | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new InputError(`${file} is not a file`, { where: file, hint: 'granary.yaml must be a YAML file' });
    if (info.size > MAX_MANIFEST_BYTES)
      throw new InputError(`${file} is larger than ${MAX_MANIFEST_BYTES} bytes`, {
        where: file,
        hint: 'a project manifest lists dependencies; this is not one',
      });
    return parseManifest(await handle.readFile('utf8'), file);
  } finally {
    await handle.close();
  }
}

/** Dependencies to set (name → range) and to remove. */
export interface ManifestEdit {
  set?: Record<string, string>;
  remove?: string[];
}

/**
 * `text` (a manifest parseManifest accepted, or undefined for a new one) with `edit` applied to its
 * dependencies. Everything else is kept: comments, other keys, the order of keys, the quoting of a
 * range that is replaced. New names go in name order when the names were in name order, else last.
 */
export function editManifest(text: string | undefined, edit: ManifestEdit): string {
  const doc = parseDocument(text ?? '');
  if (doc.errors.length > 0) throw new TypeError(`editManifest needs a readable manifest: ${doc.errors[0]!.message}`);
  let deps = doc.get('dependencies', true);
  if (!isMap(deps)) {
    doc.set('dependencies', doc.createNode({}));
    deps = doc.get('dependencies', true);
  }
  if (!isMap(deps)) throw new TypeError('editManifest needs a manifest that is a mapping');
  const keyOf = (pair: Pair): string => String(isScalar(pair.key) ? pair.key.value : pair.key);
  const names = (deps.items as Pair[]).map(keyOf);
  const ordered = names.every((name, i) => i === 0 || names[i - 1]! < name);
  for (const name of edit.remove ?? []) deps.delete(name);
  for (const [name, range] of Object.entries(edit.set ?? {})) {
    const node = deps.get(name, true);
    if (isScalar(node)) node.value = range;
    else deps.set(name, range);
  }
  if (ordered) (deps.items as Pair[]).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return doc.toString({ lineWidth: 0 });
}

/** Write the manifest atomically. */
export async function writeManifest(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text);
}
