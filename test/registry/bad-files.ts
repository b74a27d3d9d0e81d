// One bad definition file per rule the gate applies to a single file (docs/validation.md), for the tests
// that feed them to the reader, the gate and curate.
import { stringify } from 'yaml';

/** A definition curate could publish (its source is real) unless a rule refuses it; `fields` replace or add keys. */
export function definition(url: string, name: string, fields: Record<string, unknown> = {}): string {
  return stringify({
    name,
    version: '1.0.0',
    description: `The ${name} package`,
    license: 'MIT',
    location: { git: url },
    ref: 'v1.0.0',
    owners: ['alice'],
    ...fields,
  });
}

/** The nearest file that passes: the same definition with the one fault mended (at `path` when it moves). */
export interface Nearest {
  path?: string;
  content: (url: string) => string | Buffer;
}

export type Example =
  | { rule: string; path: string; content: (url: string) => string | Buffer; nearest: Nearest }
  | { rule: 'symlink' | 'submodule'; path: string; nearest: Nearest };

export const at = (name: string) => `packages/${name}/1.0.0.yaml`;

/** Every per-file rule of docs/validation.md, one bad file each. */
export const EXAMPLES: Example[] = [
  {
    rule: 'yaml',
    path: at('bad-yaml'),
    content: (url) => `${definition(url, 'bad-yaml')}name: bad-yaml\n`,
    nearest: { content: (url) => `${definition(url, 'bad-yaml')}# name: bad-yaml\n` },
  },
  {
    rule: 'encoding',
    path: at('bad-encoding'),
    content: (url) =>
      Buffer.concat([Buffer.from(definition(url, 'bad-encoding')), Buffer.from([0x23, 0x20, 0xff, 0x0a])]),
    // The same comment as UTF-8: ÿ is 0xc3 0xbf.
    nearest: {
      content: (url) =>
        Buffer.concat([Buffer.from(definition(url, 'bad-encoding')), Buffer.from([0x23, 0x20, 0xc3, 0xbf, 0x0a])]),
    },
  },
  {
    rule: 'file-too-large',
    path: at('bad-size'),
    content: (url) => `${definition(url, 'bad-size')}# ${'x'.repeat(20_000)}\n`,
    nearest: { content: (url) => `${definition(url, 'bad-size')}# ${'x'.repeat(15_000)}\n` },
  },
  {
    rule: 'schema',
    path: at('bad-schema'),
    content: (url) => definition(url, 'bad-schema', { autor: 'alice' }),
    nearest: { content: (url) => definition(url, 'bad-schema', { owners: ['alice'] }) },
  },
  {
    rule: 'file-layout',
    path: 'packages/bad-layout/1.0.0.yml',
    content: (url) => definition(url, 'bad-layout'),
    nearest: { path: at('bad-layout'), content: (url) => definition(url, 'bad-layout') },
  },
  {
    rule: 'name-syntax',
    path: at('bad-name'),
    content: (url) => definition(url, 'bad-name', { dependencies: { Bad_Name: '^1.0.0' } }),
    nearest: { content: (url) => definition(url, 'bad-name', { dependencies: { 'bad-name-x': '^1.0.0' } }) },
  },
  {
    rule: 'version-syntax',
    path: at('bad-version'),
    content: (url) => definition(url, 'bad-version', { version: '1.0.0+build.1' }),
    nearest: { content: (url) => definition(url, 'bad-version', { version: '1.0.0' }) },
  },
  {
    rule: 'path-mismatch',
    path: at('bad-path'),
    content: (url) => definition(url, 'bad-pat'),
    nearest: { content: (url) => definition(url, 'bad-path') },
  },
  {
    rule: 'range-syntax',
    path: at('bad-range'),
    content: (url) => definition(url, 'bad-range', { dependencies: { good: 'one point oh' } }),
    nearest: { content: (url) => definition(url, 'bad-range', { dependencies: { good: '^1.0.0' } }) },
  },
  {
    rule: 'license',
    path: at('bad-license'),
    content: (url) => definition(url, 'bad-license', { license: '(MIT OR' }),
    nearest: { content: (url) => definition(url, 'bad-license', { license: '(MIT OR ISC)' }) },
  },
  {
    rule: 'source-not-allowed',
    path: at('bad-source'),
    content: () => definition('', 'bad-source', { location: { git: 'https://evil.example/bad-source.git' } }),
    nearest: {
      content: () => definition('', 'bad-source', { location: { git: 'https://github.com/acme/bad-source.git' } }),
    },
  },
  // A link or a submodule at a definition's path; the nearest is a plain file there.
  { rule: 'symlink', path: at('bad-link'), nearest: { content: (url) => definition(url, 'bad-link') } },
  { rule: 'submodule', path: at('bad-submodule'), nearest: { content: (url) => definition(url, 'bad-submodule') } },
];
