/** Hostile-input-safe YAML: size cap, no aliases or custom tags, unique keys, and line numbers for every path. */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export const DEFAULT_MAX_YAML_BYTES = 64 * 1024;

export interface YamlIssue {
  line: number;
  col: number;
  message: string;
}

export interface LoadedYaml {
  /** The plain value, or undefined when the document could not be read. */
  value: unknown;
  issues: YamlIssue[];
  /** 1-based line/column of the key at `path` (falling back to its nearest ancestor). */
  locate(path: ReadonlyArray<string | number>): { line: number; col: number };
}

/** Parse YAML that came from an untrusted pull request. Never throws. */
export function loadYaml(text: string, maxBytes = DEFAULT_MAX_YAML_BYTES): LoadedYaml {
  const nowhere: LoadedYaml = { value: undefined, issues: [], locate: () => ({ line: 1, col: 1 }) };
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    return { ...nowhere, issues: [{ line: 1, col: 1, message: `file is larger than ${maxBytes} bytes` }] };
  }
  if (text.includes('\u0000')) return { ...nowhere, issues: [{ line: 1, col: 1, message: 'file contains NUL bytes: it is not a text file' }] };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, schema: 'core', merge: false, version: '1.2' });
  } catch (cause) {
    return { ...nowhere, issues: [{ line: 1, col: 1, message: `unreadable YAML: ${(cause as Error).message}` }] };
  }
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, col: pos.col };
  };
  const issues: YamlIssue[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    issues.push({ ...at(e.pos[0]), message: firstLine(e.message) });
  }
  const locate = (path: ReadonlyArray<string | number>) => at(offsetOf(doc.contents, path));
  if (issues.length > 0) return { value: undefined, issues, locate };

  const refused = findRefusedNode(doc.contents);
  if (refused) return { value: undefined, issues: [{ ...at(refused.offset), message: refused.message }], locate };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (cause) {
    return { value: undefined, issues: [{ line: 1, col: 1, message: `unreadable YAML: ${(cause as Error).message}` }], locate };
  }
  return { value, issues, locate };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Aliases, anchors and explicit tags have no use in registry files and are the usual attack vectors. */
function findRefusedNode(node: unknown): { offset: number; message: string } | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as Node & { anchor?: string; tag?: string; type?: string; range?: [number, number, number] };
  const offset = n.range?.[0] ?? 0;
  if ((n as { type?: string }).type === 'ALIAS' || (n.constructor && n.constructor.name === 'Alias')) {
    return { offset, message: 'YAML aliases (*name) are not allowed in registry files' };
  }
  if (n.anchor) return { offset, message: 'YAML anchors (&name) are not allowed in registry files' };
  if (n.tag && !n.tag.startsWith('tag:yaml.org,2002:')) return { offset, message: `YAML tag ${n.tag} is not allowed` };
  if (isMap(n) || isSeq(n)) {
    for (const item of n.items) {
      const hit = isPair(item) ? (findRefusedNode(item.key) ?? findRefusedNode(item.value)) : findRefusedNode(item);
      if (hit) return hit;
    }
  }
  return undefined;
}

function offsetOf(root: unknown, path: ReadonlyArray<string | number>): number {
  let node = root as Node | null;
  let best = (node as { range?: number[] } | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) return best;
      const keyNode = pair.key as { range?: number[] } | null;
      best = keyNode?.range?.[0] ?? best;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: number[] } | undefined;
      if (!item) return best;
      best = item.range?.[0] ?? best;
      node = item as Node;
    } else {
      return best;
    }
  }
  return best;
}
