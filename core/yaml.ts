/** Hostile-input-safe YAML: size cap, no aliases or custom tags, unique keys, and line numbers for every path. */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

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
  if (text.includes('\u0000'))
    return { ...nowhere, issues: [{ line: 1, col: 1, message: 'file contains NUL bytes: it is not a text file' }] };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
      schema: 'core',
      merge: false,
      version: '1.2',
    });
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
    return {
      value: undefined,
      issues: [{ line: 1, col: 1, message: `unreadable YAML: ${(cause as Error).message}` }],
      locate,
    };
  }
  return { value, issues, locate };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Registry files are shallow; deeper nesting only serves to make conversion slow. */
export const MAX_YAML_DEPTH = 32;

/**
 * Refuse what no registry file needs and attackers use: aliases and anchors (alias bombs), explicit
 * tags, keys that are lists or maps (converting nested collection keys takes seconds and can exhaust
 * memory), and nesting deeper than MAX_YAML_DEPTH. Iterative, so hostile depth cannot overflow the stack.
 */
function findRefusedNode(root: unknown): { offset: number; message: string } | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const n = node as Node & { anchor?: string; tag?: string; range?: [number, number, number] };
    const offset = n.range?.[0] ?? 0;
    if (isAlias(n)) return { offset, message: 'YAML aliases (*name) are not allowed in registry files' };
    if (n.anchor) return { offset, message: 'YAML anchors (&name) are not allowed in registry files' };
    if (n.tag && !n.tag.startsWith('tag:yaml.org,2002:'))
      return { offset, message: `YAML tag ${n.tag} is not allowed` };
    if (depth > MAX_YAML_DEPTH)
      return { offset, message: `YAML nested deeper than ${MAX_YAML_DEPTH} levels is not allowed in registry files` };
    const children: unknown[] = [];
    if (isMap(n)) {
      for (const pair of n.items) {
        if (pair.key !== null && !isScalar(pair.key)) {
          const keyOffset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
          return { offset: keyOffset, message: 'keys must be plain names, not lists or maps' };
        }
        children.push(pair.key, pair.value);
      }
    } else if (isSeq(n)) {
      children.push(...n.items);
    }
    // Pushed in reverse so the first problem in document order is the one reported.
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
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
