/** The index line: one JSON object per published version, one line each, sorted by version. */
import { canonicalJson } from './canonical-json.js';
import { InputError } from './errors.js';
import { compareVersions } from './versions.js';
import type { IndexLine } from '../schema/types.js';
import { schemas, validateIndexLine, schemaErrors } from '../schema/validators.js';

export type { IndexLine } from '../schema/types.js';

// The schema's keys in canonical (code unit) order: a line is written key by key, without sorting each line's keys.
const KEYS = Object.keys(schemas.indexLine.properties).sort() as Array<keyof IndexLine>;
const KNOWN = new Set<string>(KEYS);

/**
 * One line of an index file: exactly `canonicalJson(line)` (keys sorted, no whitespace, no trailing
 * newline), written at full-build speed; a line with a key the schema does not know takes the general path.
 */
export function serializeIndexLine(line: IndexLine): string {
  for (const key in line) if (!KNOWN.has(key)) return canonicalJson(line);
  let out = '{';
  for (const key of KEYS) {
    const value = line[key];
    if (value === undefined) continue;
    if (out.length > 1) out += ',';
    out += `"${key}":`;
    if (key === 'dependencies') {
      const deps = value as Record<string, string>;
      out += '{';
      let first = true;
      for (const name of Object.keys(deps).sort()) {
        if (deps[name] === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(deps[name])}`;
        first = false;
      }
      out += '}';
    } else if (typeof value === 'object') {
      out += canonicalJson(value);
    } else {
      out += JSON.stringify(value);
    }
  }
  return `${out}}`;
}

/** A whole index file: lines sorted by version, each ending in `\n`. */
export function serializeIndexFile(lines: Iterable<IndexLine>): string {
  const sorted = [...lines].sort((a, b) => compareVersions(a.version, b.version));
  let out = '';
  for (const line of sorted) out += `${serializeIndexLine(line)}\n`;
  return out;
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
