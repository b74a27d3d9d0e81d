/** The index line: one JSON object per published version, one line each, sorted by version. */
import { canonicalJson } from './canonical-json.js';
import { InputError } from './errors.js';
import { compareVersions } from './versions.js';
import type { IndexLine } from '../schema/types.js';
import { validateIndexLine, schemaErrors } from '../schema/validators.js';

export type { IndexLine } from '../schema/types.js';

/** One line of an index file (canonical key order, no trailing newline). */
export function serializeIndexLine(line: IndexLine): string {
  return canonicalJson(line);
}

/** A whole index file: lines sorted by version, each ending in `\n`. */
export function serializeIndexFile(lines: Iterable<IndexLine>): string {
  const sorted = [...lines].sort((a, b) => compareVersions(a.version, b.version));
  return sorted.map((l) => `${serializeIndexLine(l)}\n`).join('');
}

/** Parse an index file; every line is schema-checked and must name `expectedName`. */
export function parseIndexFile(text: string, where: string, expectedName?: string): IndexLine[] {
  const lines: IndexLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (cause) {
      throw new InputError(`index line is not JSON`, {
        where: `${where}:${i + 1}`,
        hint: 'rebuild the index with `granary index build`',
        cause,
      });
    }
    if (!validateIndexLine(value)) {
      throw new InputError(`index line does not match the schema: ${schemaErrors(validateIndexLine)}`, {
        where: `${where}:${i + 1}`,
        hint: 'rebuild the index with `granary index build`, or use a registry whose index is intact',
      });
    }
    if (expectedName !== undefined && value.name !== expectedName) {
      throw new InputError(`index line names ${JSON.stringify(value.name)} in the file of ${expectedName}`, {
        where: `${where}:${i + 1}`,
      });
    }
    lines.push(value);
  }
  return lines;
}
