// The pure parts of the site: page paths and relative links, escaping, revisions as changes, quality
// signals from a file list, and the model's dependents, scopes, keywords and recent versions.
import { describe, expect, it } from 'vitest';
import { qualityOf, readmeFile } from '../../client/site/file-signals.js';
import { markup, trustedHtml } from '../../client/site/html.js';
import {
  absoluteLinker,
  keywordPage,
  normalizeBasePath,
  packagePage,
  relativeLinker,
  scopePage,
} from '../../client/site/paths.js';
import { revisionChanges } from '../../client/site/revisions.js';
import { siteModel } from '../../client/site/site-model.js';
import type { IndexLine, PackageSummary } from '../../schema/types.js';
import { line } from '../resolve/memory-registry.js';

describe('paths and links', () => {
  it('link relatively from any page, so the site works from file:// and under any base path', () => {
    expect(packagePage('left-pad')).toBe('package/left-pad.html');
    expect(packagePage('@acme/widgets')).toBe('package/@acme/widgets.html');
    expect(scopePage('@acme')).toBe('scope/acme.html');
    expect(keywordPage('ui-kit')).toBe('keyword/ui-kit.html');
    expect(keywordPage('../x')).toBeUndefined();
    expect(() => packagePage('../etc')).toThrow(TypeError);
    expect(relativeLinker('index.html')('package/a.html')).toBe('package/a.html');
    expect(relativeLinker('package/a.html')('index.html')).toBe('../index.html');
    expect(relativeLinker('package/@acme/w.html')('package/b.html')).toBe('../../package/b.html');
    // A page under /x/ resolves a relative link to the same site path a root page would.
    for (const from of ['index.html', 'package/a.html', 'package/@acme/w.html', 'keyword/ui.html']) {
      const href = relativeLinker(from)('scope/acme.html');
      expect(new URL(href, `https://host.example/x/${from}`).pathname).toBe('/x/scope/acme.html');
      expect(new URL(href, `file:///srv/site/${from}`).pathname).toBe('/srv/site/scope/acme.html');
    }
    expect(absoluteLinker('/x/')('index.html')).toBe('/x/index.html');
  });

  it('take a base path as /a/b/ and refuse anything else', () => {
    expect(normalizeBasePath('/')).toBe('/');
    expect(normalizeBasePath('/registry')).toBe('/registry/');
    expect(normalizeBasePath(' /a//b/ ')).toBe('/a/b/');
    for (const bad of ['registry/', '/a/../b', 'https://x/', '/a b/', '/./'])
      expect(() => normalizeBasePath(bad), bad).toThrow(/--base-path/);
  });

  it('escape every interpolated value unless it is markup already', () => {
    const name = '<img src=x onerror="alert(1)">';
    expect(markup`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>',
    );
    expect(markup`<ul>${['a', 'b'].map((x) => markup`<li>${x}</li>`)}${false}${undefined}</ul>`.text).toBe(
      '<ul><li>a</li><li>b</li></ul>',
    );
    expect(markup`${trustedHtml('<b>x</b>')}`.text).toBe('<b>x</b>');
  });
});

describe('revisions', () => {
  it('read each revision as what changed from the one before, with when and why', () => {
    const l: IndexLine = line('gadgets', '1.0.0', {
      revision: 3,
      dependencies: { widgets: '>=1.0.0 <1.1.0', dials: '^2.0.0' },
      deprecated: 'use 2.0.0',
      history: [
        {
          revision: 1,
          dependencies: { widgets: '^1.0.0', knobs: '^1.0.0' },
          at: '2024-02-01T00:00:00Z',
          reason: 'bounds',
        },
        {
          revision: 2,
          dependencies: { widgets: '>=1.0.0 <1.1.0', dials: '^2.0.0' },
          yanked: true,
          at: '2024-03-01T00:00:00Z',
          reason: 'unyank, deprecate',
        },
      ],
    });
    expect(revisionChanges(l)).toEqual([
      {
        revision: 2,
        at: '2024-02-01T00:00:00Z',
        reason: 'bounds',
        dependencies: [
          { name: 'dials', to: '^2.0.0' },
          { name: 'knobs', from: '^1.0.0' },
          { name: 'widgets', from: '^1.0.0', to: '>=1.0.0 <1.1.0' },
        ],
        yanked: { from: false, to: true },
      },
      {
        revision: 3,
        at: '2024-03-01T00:00:00Z',
        reason: 'unyank, deprecate',
        dependencies: [],
        yanked: { from: true, to: false },
        deprecated: { from: undefined, to: 'use 2.0.0' },
      },
    ]);
    expect(revisionChanges(line('x', '1.0.0'))).toEqual([]);
  });
});

describe('quality signals from a file list', () => {
  it('find the README (Markdown first), tests and examples in any language', () => {
    expect(readmeFile(['README.txt', 'readme.md', 'docs/README.md'])).toBe('readme.md');
    expect(readmeFile(['docs/README.md', 'src/a.js'])).toBeUndefined();
    expect(qualityOf(['README.md', 'src/a.js'], 10)).toEqual({ readme: true, tests: false, examples: false });
    expect(qualityOf(['README.md'], 0).readme).toBe(false);
    for (const t of [
      'test/a.js',
      'src/__tests__/a.ts',
      'a.test.js',
      'lib/b_spec.rb',
      'test_x.py',
      'src/FooTest.java',
      'spec/x.js',
    ])
      expect(qualityOf([t], 0).tests, t).toBe(true);
    for (const e of ['examples/basic.js', 'demo/x.py', 'example.js', 'samples/a.c'])
      expect(qualityOf([e], 0).examples, e).toBe(true);
    for (const none of ['src/contest.js', 'latest.js', 'testdata.json', 'src/exampled.txt'])
      expect(qualityOf([none], 0), none).toEqual({ readme: false, tests: false, examples: false });
  });
});

describe('the site model', () => {
  it('finds dependents of latest versions, scopes, keywords and the newest publications', () => {
    const summary = (name: string, extra: Partial<PackageSummary> = {}): PackageSummary => ({
      name,
      latest: null,
      versions: 1,
      ...extra,
    });
    const lines = new Map<string, IndexLine[]>([
      ['widgets', [line('widgets', '1.0.0', { publishedAt: '2024-01-01T00:00:00Z' })]],
      [
        '@acme/gadgets',
        [
          line('@acme/gadgets', '1.0.0', { dependencies: { widgets: '^0.1.0' }, publishedAt: '2024-01-02T00:00:00Z' }),
          line('@acme/gadgets', '1.1.0', { dependencies: { widgets: '^1.0.0' }, publishedAt: '2024-01-03T00:00:00Z' }),
        ],
      ],
      [
        'old',
        [line('old', '1.0.0', { dependencies: { widgets: '*' }, yanked: true, publishedAt: '2024-01-04T00:00:00Z' })],
      ],
      [
        'gone',
        [
          line('gone', '1.0.0', {
            unpublished: { at: '2024-01-06T00:00:00Z', reason: 'x' },
            publishedAt: '2024-01-05T00:00:00Z',
          }),
        ],
      ],
    ]);
    const model = siteModel({
      registryName: 'r',
      snapshot: { version: 1, commit: '', createdAt: '' },
      packages: {
        format: 2,
        packages: [
          summary('widgets', { keywords: ['ui'] }),
          summary('@acme/gadgets', { keywords: ['ui', 'acme'] }),
          summary('old'),
          summary('gone'),
        ],
      },
      lines,
    });
    expect(model.packages.map((p) => p.name)).toEqual(['@acme/gadgets', 'gone', 'old', 'widgets']);
    // Only latest versions count: old is yanked, so it has no latest version to depend with.
    expect(model.byName.get('widgets')!.dependents).toEqual([{ name: '@acme/gadgets', range: '^1.0.0' }]);
    expect(model.byName.get('old')!.latest).toBeUndefined();
    expect(model.byName.get('old')!.shown?.version).toBe('1.0.0');
    expect(model.byName.get('gone')!.shown).toBeUndefined();
    expect([...model.scopes.keys()]).toEqual(['@acme']);
    expect([...model.keywords].map(([k, list]) => [k, list.map((p) => p.name)])).toEqual([
      ['acme', ['@acme/gadgets']],
      ['ui', ['@acme/gadgets', 'widgets']],
    ]);
    expect(model.recent.map((l) => `${l.name}@${l.version}`)).toEqual([
      'old@1.0.0',
      '@acme/gadgets@1.1.0',
      '@acme/gadgets@1.0.0',
      'widgets@1.0.0',
    ]);
    expect(model.versions).toBe(4);
  });
});
