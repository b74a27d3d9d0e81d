/**
 * A registry for the site tests, made the way a real one is: source repositories with READMEs, tests and
 * examples; definitions and overrides merged on main; the real curator packing the tarballs into an fs:
 * store and signing the index branch. It holds a scope, keywords, dependencies, a deprecated version, a
 * revision that changed bounds (an override), a prerelease, an unpublished package and a README that
 * tries to run script.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPair } from '../../core/signing.js';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createRepo, type TestRepo } from '../helpers/git.js';

export interface SiteFixture {
  /** The registry repository: main, and the curated `index` branch. */
  registryDir: string;
  publicKey: string;
  /** The fs: store the curator published the tarballs to (config.json's asset base). */
  storeDir: string;
  /** When the fixture was made: publication dates count back from it. */
  now: number;
  /** Merge one more version of a package (its definition, a new tag of its source) and curate it. */
  publish(p: Package, v: Version): Promise<void>;
}

const DAY = 86_400_000;

export interface Version {
  version: string;
  daysAgo: number;
  files: Record<string, string>;
  dependencies?: Record<string, string>;
}

export interface Package {
  name: string;
  description: string;
  keywords: string[];
  homepage?: string;
  versions: Version[];
}

export const HOSTILE_README = `# Hostile

Looks harmless.

<script>window.__pwned = 1</script>

<img src=x onerror="window.__pwned = 2">

[click me](javascript:window.__pwned=3) and <a href="https://example.invalid/" onclick="window.__pwned = 4">a plain link</a>.
`;

const WIDGETS_README = `# Widgets

Composable **user interface widgets**: buttons, sliders and dials. Read [the guide](docs/guide.md).

## Use

\`\`\`js
import { button } from 'widgets';
button('OK');
\`\`\`

| widget | since |
| --- | --- |
| button | 1.0.0 |
`;

export const PACKAGES: Package[] = [
  {
    name: 'widgets',
    description: 'Composable user interface widgets',
    keywords: ['ui', 'widgets'],
    homepage: 'https://widgets.example.invalid/',
    versions: [
      { version: '1.0.0', daysAgo: 400, files: { 'README.md': WIDGETS_README, 'src/index.js': 'export {};\n' } },
      {
        version: '1.1.0',
        daysAgo: 40,
        files: {
          'README.md': WIDGETS_README,
          'src/index.js': 'export {};\n',
          'docs/guide.md': '# Guide\n',
          'test/index.test.js': 'test;\n',
          'examples/basic.js': 'example;\n',
        },
      },
      { version: '2.0.0-beta.1', daysAgo: 30, files: { 'README.md': '# Widgets 2\n', 'src/index.js': 'export {};\n' } },
    ],
  },
  {
    name: '@acme/gadgets',
    description: 'Gadgets assembled from widgets',
    keywords: ['ui', 'acme'],
    versions: [
      {
        version: '1.0.0',
        daysAgo: 250,
        dependencies: { widgets: '^1.0.0' },
        files: { 'README.md': '# Gadgets\n\nA gadget is a widget with a purpose.\n', 'lib/gadgets.js': 'x;\n' },
      },
    ],
  },
  {
    name: 'parsekit',
    description: 'Parser combinators for text formats',
    keywords: ['parser', 'text'],
    versions: [
      { version: '0.9.0', daysAgo: 300, files: { 'README.md': '# parsekit\n', 'src/p.js': 'p;\n' } },
      {
        version: '1.0.0',
        daysAgo: 200,
        dependencies: { '@acme/gadgets': '^1.0.0' },
        files: { 'README.md': '# parsekit\n\nParse anything.\n', 'src/p.js': 'p;\n', 'spec/p_spec.js': 's;\n' },
      },
    ],
  },
  {
    name: 'tokenizer',
    description: 'Splits text into tokens for parsers',
    keywords: ['parser', 'text'],
    versions: [
      {
        version: '2.1.0',
        daysAgo: 5,
        files: { 'README.txt': 'tokenizer\n=========\n<b>plain text</b>\n', 't.js': 't;\n' },
      },
    ],
  },
  {
    name: 'hostile',
    description: 'A package whose README tries to run script',
    keywords: ['testing'],
    versions: [{ version: '1.0.0', daysAgo: 3, files: { 'README.md': HOSTILE_README, 'index.js': 'h;\n' } }],
  },
  {
    name: 'gone',
    description: 'Published by mistake',
    keywords: [],
    versions: [{ version: '0.1.0', daysAgo: 2.5, files: { 'README.md': '# gone\n', 'x.js': 'x;\n' } }],
  },
];

function definition(p: Package, v: Version, url: string): string {
  const lines = [
    `name: "${p.name}"`,
    `version: "${v.version}"`,
    'license: MIT',
    `description: ${p.description}`,
    'location:',
    `  git: ${url}`,
    `ref: v${v.version}`,
    'owners: [alice, bob]',
  ];
  if (p.keywords.length > 0) lines.push(`keywords: [${p.keywords.join(', ')}]`);
  if (p.homepage) lines.push(`homepage: ${p.homepage}`);
  const deps = Object.entries(v.dependencies ?? {});
  if (deps.length > 0) lines.push('dependencies:', ...deps.map(([n, r]) => `  "${n}": "${r}"`));
  return `${lines.join('\n')}\n`;
}

/** Build the registry under `root` (a directory the caller removes). */
export async function buildSiteFixture(root: string): Promise<SiteFixture> {
  const now = Date.now();
  const when = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  const keys = generateKeyPair();
  const registry = await createRepo(join(root, 'registry'));
  await registry.write(
    'registry.yaml',
    [
      'name: test-registry',
      `publicKey: ${keys.publicKey}`,
      'sources:',
      '  schemes: [https, file]',
      '  hosts: [github.com]',
      'scopes:',
      '  acme: [alice]',
      '',
    ].join('\n'),
  );
  await registry.commit('Registry settings', when(500));

  // Every publication, oldest first, then the overrides and the unpublish, each its own merged change.
  const sources = new Map<string, TestRepo>();
  const publish = async (p: Package, v: Version): Promise<void> => {
    let source = sources.get(p.name);
    if (!source) {
      source = await createRepo(join(root, 'sources', p.name.replace(/[@/]/g, '_')));
      sources.set(p.name, source);
    }
    await source.git('rm', '-rq', '--ignore-unmatch', '.');
    for (const [path, text] of Object.entries(v.files)) await source.write(path, text);
    await source.commit(`release ${v.version}`, when(v.daysAgo + 1));
    await source.tag(`v${v.version}`);
    await registry.write(`packages/${p.name}/${v.version}.yaml`, definition(p, v, pathToFileURL(source.dir).href));
    await registry.commit(`Publish ${p.name} ${v.version}`, when(v.daysAgo));
  };
  const steps: Array<{ daysAgo: number; run: () => Promise<void> }> = [];
  for (const p of PACKAGES) for (const v of p.versions) steps.push({ daysAgo: v.daysAgo, run: () => publish(p, v) });
  steps.push({
    daysAgo: 20,
    run: async () => {
      await registry.write('overrides/widgets/1.0.0.yaml', 'reason: superseded\ndeprecated: use widgets 1.1.0\n');
      await registry.commit('Deprecate widgets 1.0.0', when(20));
    },
  });
  steps.push({
    daysAgo: 10,
    run: async () => {
      await registry.write(
        'overrides/@acme/gadgets/1.0.0.yaml',
        'reason: widgets 1.1 changed the button API\ndependencies:\n  widgets: ">=1.0.0 <1.1.0"\n',
      );
      await registry.commit('Fix the bounds of @acme/gadgets 1.0.0', when(10));
    },
  });
  steps.push({
    daysAgo: 2,
    run: async () => {
      await registry.git('rm', '-q', 'packages/gone/0.1.0.yaml');
      await registry.commit('Unpublish gone 0.1.0: published by mistake', when(2));
    },
  });
  steps.sort((a, b) => b.daysAgo - a.daysAgo);
  for (const step of steps) await step.run();

  const store = createFsStore(join(root, 'store'));
  const run = async () => {
    const report = await curate({ repoDir: registry.dir, stores: [store], signingKeyPem: keys.privateKeyPem });
    if (report.refused.length > 0) throw new Error(`the fixture was refused: ${JSON.stringify(report.refused)}`);
  };
  await run();
  return {
    registryDir: registry.dir,
    publicKey: keys.publicKey,
    storeDir: join(root, 'store'),
    now,
    async publish(p, v) {
      await publish(p, v);
      await run();
    },
  };
}
