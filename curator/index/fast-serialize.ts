/**
 * Index files at full-build speed: the same bytes as core/index-line.ts `serializeIndexFile`
 * (canonical JSON, lines sorted by version), without re-sorting every line's keys or re-parsing versions.
 */
import { canonicalJson } from '../../core/canonical-json.js';
import { compareVersions } from '../../core/versions.js';
import type { IndexLine } from '../../schema/types.js';

const KEYS = [
  'asset',
  'commit',
  'contentHash',
  'dependencies',
  'deprecated',
  'history',
  'integrity',
  'license',
  'name',
  'publishedAt',
  'ref',
  'revision',
  'sha256',
  'size',
  'unpublished',
  'version',
  'yanked',
].sort() as Array<keyof IndexLine>;
const KNOWN = new Set<string>(KEYS);

/** One line, byte-identical to `canonicalJson(line)`. */
export function serializeLineFast(line: IndexLine): string {
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

/** A whole index file, byte-identical to `serializeIndexFile(lines)`. */
export function serializeIndexFileFast(lines: Iterable<IndexLine>): string {
  const sorted = [...lines].sort((a, b) => compareVersionsFast(a.version, b.version));
  let out = '';
  for (const line of sorted) out += `${serializeLineFast(line)}\n`;
  return out;
}

const PLAIN = /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})$/;
const parsed = new Map<string, readonly [number, number, number] | null>();

function plain(version: string): readonly [number, number, number] | null {
  let hit = parsed.get(version);
  if (hit === undefined) {
    const m = PLAIN.exec(version);
    hit = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
    // Bounded: a long-running curator sees many versions, and recomputing is cheap.
    if (parsed.size > 100_000) parsed.clear();
    parsed.set(version, hit);
  }
  return hit;
}

/** SemVer precedence; plain MAJOR.MINOR.PATCH compared without building SemVer objects. */
export function compareVersionsFast(a: string, b: string): number {
  const x = plain(a);
  const y = x && plain(b);
  if (!x || !y) return compareVersions(a, b);
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}
