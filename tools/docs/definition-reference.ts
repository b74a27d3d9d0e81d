/** Renders the definition and override file references (docs/definition-reference.md) from the JSON Schemas. */
import { stringify } from 'yaml';
import { schemas } from '../../schema/validators.js';
import type { Override, PackageDefinition } from '../../schema/types.js';

/** The examples shown in the reference (a test checks they validate). */
export const exampleDefinition: PackageDefinition = {
  name: 'left-pad',
  version: '1.2.0',
  description: 'Pads strings on the left.',
  license: 'MIT',
  location: { github: 'example/left-pad' },
  ref: 'v1.2.0',
  commit: '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39',
  dependencies: { 'string-utils': '>=2.0.0 <3.0.0' },
  keywords: ['strings', 'padding'],
  owners: ['octocat'],
  files: { include: ['src/**', 'README.md', 'LICENSE'] },
};

export const exampleOverride: Override = {
  reason: 'string-utils 3.0.0 removed padStart; cap the bound',
  dependencies: { 'string-utils': '>=2.0.0 <2.9.0' },
};

interface SchemaNode {
  type?: string | string[];
  description?: string;
  $ref?: string;
  oneOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: boolean | SchemaNode;
}

const defs = schemas.defs.$defs as Record<string, SchemaNode>;

function deref(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.split('/').pop()!;
  const target = defs[name];
  return target
    ? { ...deref(target), ...node, $ref: undefined, description: node.description ?? target.description }
    : node;
}

function typeOf(node: SchemaNode): string {
  const n = deref(node);
  if (n.oneOf) return n.oneOf.map(typeOf).join(' or ');
  if (n.type === 'array') return `list of ${n.items ? typeOf(n.items) : 'values'}`;
  if (n.type === 'object' && n.properties) return `map (${Object.keys(n.properties).join(', ')})`;
  if (n.type === 'object' && typeof n.additionalProperties === 'object')
    return `map of name → ${typeOf(n.additionalProperties)}`;
  return Array.isArray(n.type) ? n.type.join(' or ') : (n.type ?? 'value');
}

function limits(node: SchemaNode): string {
  const n = deref(node);
  const parts: string[] = [];
  if (n.maxLength !== undefined) parts.push(`at most ${n.maxLength} characters`);
  if (n.maxItems !== undefined) parts.push(`at most ${n.maxItems} items`);
  return parts.join('; ');
}

function table(schema: SchemaNode): string[] {
  const required = new Set(schema.required ?? []);
  const rows = ['| key | required | type | meaning |', '| --- | --- | --- | --- |'];
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const node = deref(raw);
    const extra = limits(raw);
    const base = node.description ?? '';
    const desc = extra && !base.includes('at most') ? `${base} (${extra})`.trim() : base;
    rows.push(`| \`${key}\` | ${required.has(key) ? 'yes' : 'no'} | ${typeOf(raw)} | ${desc} |`);
  }
  return rows;
}

/** The Markdown of the definition and override references. */
export function definitionReference(): string {
  const out = [
    '# Definition and override reference',
    '',
    'Generated from `schema/package.schema.json` and `schema/override.schema.json` by `npm run docs`; a test fails when it is out of date.',
    'Unknown keys are errors. Both files are YAML; quote versions and ranges.',
    '',
    `## ${schemas.package.title}`,
    '',
    ...table(schemas.package as unknown as SchemaNode),
    '',
    'Example:',
    '',
    '```yaml',
    stringify(exampleDefinition).trimEnd(),
    '```',
    '',
    `## ${schemas.override.title}`,
    '',
    ...table(schemas.override as unknown as SchemaNode),
    '',
    'Example (`overrides/left-pad/1.2.0.yaml`):',
    '',
    '```yaml',
    stringify(exampleOverride).trimEnd(),
    '```',
    '',
  ];
  return `${out.join('\n').trimEnd()}\n`;
}
