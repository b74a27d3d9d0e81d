/** Hashed-bin delegation: which bin role holds a target, and how many bins a registry of n targets uses. */
import { createHash } from 'node:crypto';

export interface BinLayout {
  /** Number of bins, a power of two. */
  count: number;
  /** Hex digits of the path hash that choose a bin. */
  prefixLength: number;
}

const MIN_BINS = 16;
const MAX_BINS = 4096;
/** About this many targets per bin: a bin stays near 30 KB, and the snapshot near 30 KB at 200,000 packages. */
const TARGETS_PER_BIN = 256;

/** The bins for `targets` targets: the smallest power of two giving at most ~256 targets each, between 16 and 4096. */
export function binLayout(targets: number): BinLayout {
  let count = MIN_BINS;
  while (count < MAX_BINS && count * TARGETS_PER_BIN < targets) count *= 2;
  return layoutOf(count);
}

export function layoutOf(count: number): BinLayout {
  return { count, prefixLength: Math.ceil(Math.log2(count) / 4) };
}

/** The hash prefixes bin `index` covers (TUF `path_hash_prefixes`). */
export function binPrefixes(layout: BinLayout, index: number): string[] {
  const per = 16 ** layout.prefixLength / layout.count;
  const out: string[] = [];
  for (let i = index * per; i < (index + 1) * per; i++) out.push(i.toString(16).padStart(layout.prefixLength, '0'));
  return out;
}

/** The role name of bin `index`: `bin-` and its first prefix. */
export function binName(layout: BinLayout, index: number): string {
  return `bin-${binPrefixes(layout, index)[0]}`;
}

/** Every bin's role name, in order. */
export function binNames(layout: BinLayout): string[] {
  return Array.from({ length: layout.count }, (_, i) => binName(layout, i));
}

/** The bin holding `path`: the one whose prefixes start the SHA-256 of the target path. */
export function binOf(layout: BinLayout, path: string): string {
  const hash = createHash('sha256').update(path, 'utf8').digest('hex');
  const bucket = parseInt(hash.slice(0, layout.prefixLength), 16);
  return binName(layout, Math.floor(bucket / (16 ** layout.prefixLength / layout.count)));
}
