// One bad file per rule the gate applies to a single file: the reader, the gate (as a pull request and
// as a whole registry) and curate all refuse it, so what the gate refuses can never be published.
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { curate } from '../../curator/curate/curate.js';
import { parseDefinition, parseRegistrySettings } from '../../curator/registry/parse.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import { createFixture } from '../curate/fixture.js';
import { gitIn } from '../helpers/git.js';

const REGISTRY_YAML =
  'name: test-registry\nsources:\n  schemes: [https, file]\n  hosts: [github.com]\nlimits:\n  maxPackagesPerPr: 100\n';

/** A definition curate could publish (its source is real) unless a rule refuses it; `fields` replace or add keys. */
function definition(url: string, name: string, fields: Record<string, unknown> = {}): string {
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

type Example =
  | { rule: string; path: string; content: (url: string) => string | Buffer }
  | { rule: 'symlink' | 'submodule'; path: string };

const at = (name: string) => `packages/${name}/1.0.0.yaml`;

/** Every per-file rule of docs/validation.md, one bad file each. */
const EXAMPLES: Example[] = [
  { rule: 'yaml', path: at('bad-yaml'), content: (url) => `${definition(url, 'bad-yaml')}name: bad-yaml\n` },
  {
    rule: 'encoding',
    path: at('bad-encoding'),
    content: (url) =>
      Buffer.concat([Buffer.from(definition(url, 'bad-encoding')), Buffer.from([0x23, 0x20, 0xff, 0x0a])]),
  },
  {
    rule: 'file-too-large',
    path: at('bad-size'),
    content: (url) => `${definition(url, 'bad-size')}# ${'x'.repeat(20_000)}\n`,
  },
  { rule: 'schema', path: at('bad-schema'), content: (url) => definition(url, 'bad-schema', { autor: 'alice' }) },
  { rule: 'file-layout', path: 'packages/bad-layout/1.0.0.yml', content: (url) => definition(url, 'bad-layout') },
  {
    rule: 'name-syntax',
    path: at('bad-name'),
    content: (url) => definition(url, 'bad-name', { dependencies: { Bad_Name: '^1.0.0' } }),
  },
  {
    rule: 'version-syntax',
    path: at('bad-version'),
    content: (url) => definition(url, 'bad-version', { version: '1.0.0+build.1' }),
  },
  { rule: 'path-mismatch', path: at('bad-path'), content: (url) => definition(url, 'bad-pat') },
  {
    rule: 'range-syntax',
    path: at('bad-range'),
    content: (url) => definition(url, 'bad-range', { dependencies: { good: 'one point oh' } }),
  },
  {
    rule: 'license',
    path: at('bad-license'),
    content: (url) => definition(url, 'bad-license', { license: '(MIT OR' }),
  },
  {
    rule: 'source-not-allowed',
    path: at('bad-source'),
    content: () => definition('', 'bad-source', { location: { git: 'https://evil.example/bad-source.git' } }),
  },
  { rule: 'symlink', path: at('bad-link') },
  { rule: 'submodule', path: at('bad-submodule') },
];

describe('the registry reader', () => {
  it('refuses every per-file bad example in the reader, the gate and curate alike', async () => {
    const f = await createFixture();
    const url = await f.source('good', ['1.0.0']);
    await f.registry.write('registry.yaml', REGISTRY_YAML);
    await f.registry.write(at('good'), definition(url, 'good'));
    const base = await f.registry.commit('registry with one package');

    const config = parseRegistrySettings(REGISTRY_YAML).config;
    await f.registry.write(at('control'), definition(url, 'control'));
    for (const example of EXAMPLES) {
      if ('content' in example) {
        const bytes = example.content(url);
        await f.registry.write(example.path, bytes);
        // (c) the reader on its own, bytes and path in
        const parsed = parseDefinition(bytes, example.path, config);
        expect(
          parsed.problems.map((p) => p.rule),
          example.path,
        ).toContain(example.rule);
      } else if (example.rule === 'symlink') await f.registry.link(example.path, '../good/1.0.0.yaml');
    }
    await f.registry.git('add', '-A');
    const submodule = EXAMPLES.find((e) => e.rule === 'submodule')!;
    const pinned = await gitIn(f.registry.dir, '-C', new URL(url).pathname, 'rev-parse', 'HEAD');
    await f.registry.git('update-index', '--add', '--cacheinfo', `160000,${pinned},${submodule.path}`);
    await gitIn(f.registry.dir, 'commit', '-q', '-m', 'Merge the bad pull request');
    const head = await f.registry.head();

    // (a) the gate: the merge as one pull request, and the whole registry after it
    const asPullRequest = await validateRepo({ repo: f.registry.dir, base, head, author: 'alice', offline: true });
    const wholeRegistry = await validateRepo({ repo: f.registry.dir, head });
    for (const report of [asPullRequest, wholeRegistry]) {
      for (const example of EXAMPLES) {
        const found = report.problems.filter((p) => p.file === example.path && p.severity === 'error');
        expect(
          found.map((p) => p.rule),
          example.path,
        ).toContain(example.rule);
      }
      expect(report.problems.filter((p) => p.file === at('control') || p.file === at('good'))).toEqual([]);
    }

    // (b) curate: every bad file refused on its own and reported; the good ones published
    const report = await curate({ repoDir: f.registry.dir, stores: [createFsStore(f.storeDir)] });
    expect(report.published.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['control@1.0.0', 'good@1.0.0']);
    for (const example of EXAMPLES) {
      const refusals = report.refused.filter((r) => r.file === example.path);
      expect(refusals, example.path).toEqual([expect.objectContaining({ commit: head })]);
      if ('content' in example && example.rule !== 'file-layout')
        expect(refusals[0]!.message, example.path).toContain(`[${example.rule}]`);
    }
    expect(report.refused).toHaveLength(EXAMPLES.length);
    expect(report.indexCommit).toBeDefined();
  });
});
