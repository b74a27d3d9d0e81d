// `granary site build` on a registry curated for real: what the pages say, that every link leads somewhere,
// the data the script pages read, incremental rebuilds, stale pages removed, and what it refuses.
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { openRegistry } from '../../client/registry.js';
import { buildSite, type SiteOptions } from '../../client/site/build-site.js';
import { readPackageFacts, type ReadmeRenderer } from '../../client/site/package-facts.js';
import { SITE_MANIFEST } from '../../client/site/write-site.js';
import type { Registry } from '../../client/types.js';
import { buildSiteFixture, PACKAGES, type SiteFixture } from './fixture.js';

let root: string;
let fixture: SiteFixture;
let site: string;

const open = (cacheDir = join(root, 'cache')): Promise<Registry> =>
  openRegistry(fixture.registryDir, { cwd: root, trustKey: fixture.publicKey, cacheDir });
const build = async (extra: Partial<SiteOptions> = {}) =>
  buildSite(await open(extra.cacheDir), { outDir: site, cacheDir: join(root, 'cache'), cwd: root, ...extra });
const page = (path: string) => readFile(join(site, ...path.split('/')), 'utf8');

async function files(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await files(join(dir, entry.name), path)));
    else out.push(path);
  }
  return out.sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'granary-site-build-'));
  fixture = await buildSiteFixture(root);
  site = join(root, 'site');
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('granary site build', () => {
  it('writes a page per package, scope and keyword, the script pages, their data and assets', async () => {
    const report = await build();
    expect(report).toMatchObject({ packages: 6, versions: 8, written: report.files, unchanged: 0, problems: [] });
    expect(await files(site)).toEqual([
      SITE_MANIFEST,
      '404.html',
      'assets/lookup.js',
      'assets/minisearch.js',
      'assets/ranking.js',
      'assets/search.js',
      'assets/site.css',
      'data/hashes.js',
      'data/search-index.js',
      'index.html',
      ...['acme', 'parser', 'testing', 'text', 'ui', 'widgets'].map((k) => `keyword/${k}.html`),
      'keywords.html',
      'lookup.html',
      ...['@acme/gadgets', 'gone', 'hostile', 'parsekit', 'tokenizer', 'widgets'].map((n) => `package/${n}.html`),
      'packages.html',
      'scope/acme.html',
      'scopes.html',
      'search.html',
    ]);
    // The site ships the ranking granary search runs, byte for byte.
    expect(await readFile(join(site, 'assets', 'ranking.js'))).toEqual(
      await readFile(new URL('../../client/site/ranking.cjs', import.meta.url)),
    );
  });

  it('shows a package: install line, facts, README, dependencies, dependents, versions and revisions', async () => {
    const gadgets = await page('package/@acme/gadgets.html');
    expect(gadgets).toContain('<pre><code>granary install @acme/gadgets</code></pre>');
    expect(gadgets).toContain('<a href="../../scope/acme.html">@acme</a>');
    expect(gadgets).toContain('<a href="../../keyword/ui.html">ui</a>');
    expect(gadgets).toContain('<dt>Downloads</dt><dd>no download counts yet</dd>');
    expect(gadgets).toContain('<h3>Gadgets</h3>');
    expect(gadgets).toMatch(
      /<td><a href="\.\.\/\.\.\/package\/widgets\.html">widgets<\/a><\/td><td><code>&gt;=1\.0\.0 &lt;1\.1\.0<\/code>/,
    );
    expect(gadgets).toContain('<a href="../../package/parsekit.html">parsekit</a> <code>^1.0.0</code>');
    expect(gadgets).toMatch(
      /<strong>Revision 2<\/strong>, <time[^>]*>[^<]+<\/time>: widgets 1\.1 changed the button API/,
    );
    expect(gadgets).toContain(
      '<del><span class="visually-hidden">from </span><code>^1.0.0</code></del> → <ins><span class="visually-hidden">to </span><code>&gt;=1.0.0 &lt;1.1.0</code></ins>',
    );
    expect(gadgets).toMatch(/at commit <code>[0-9a-f]{40}<\/code> \(tag v1\.0\.0\)/);

    const widgets = await page('package/widgets.html');
    expect(widgets).toContain('1.1.0, published');
    expect(widgets).toMatch(
      /<th scope="row">1\.0\.0<\/th>.*<span class="badge deprecated">deprecated<\/span> use widgets 1\.1\.0/,
    );
    expect(widgets).toMatch(/<th scope="row">2\.0\.0-beta\.1<\/th>.*<span class="badge">prerelease<\/span>/);
    expect(widgets).toContain(
      '<a href="../package/@acme/gadgets.html">@acme/gadgets</a> <code>&gt;=1.0.0 &lt;1.1.0</code>',
    );
    expect(widgets).toContain('<a href="https://widgets.example.invalid/" rel="nofollow ugc noopener noreferrer">');
    expect(widgets).toContain('<pre><code class="language-js">import { button }');
    // The README's relative link cannot point anywhere for a file:// source: its text stays, the link goes.
    expect(widgets).toContain('Read the guide.');

    expect(await page('package/gone.html')).toContain('Every version of gone is unpublished');
    expect(await page('package/gone.html')).toMatch(
      /badge unpublished">unpublished<\/span> <time[^>]*>[^<]+<\/time>: Unpublish gone 0\.1\.0/,
    );
    expect(await page('package/tokenizer.html')).toContain(
      '<pre class="readme-text">tokenizer\n=========\n&lt;b&gt;plain text&lt;/b&gt;',
    );
  });

  it('keeps a README from running anything, and gives every page a strict Content-Security-Policy', async () => {
    const hostile = await page('package/hostile.html');
    expect(hostile).toContain('Looks harmless.');
    expect(hostile).toContain(
      '<a href="https://example.invalid/" rel="nofollow ugc noopener noreferrer">a plain link</a>',
    );
    expect(hostile).not.toMatch(/<script|onerror|onclick|javascript:|__pwned/i);
    for (const path of (await files(site)).filter((f) => f.endsWith('.html'))) {
      const text = await page(path);
      const scripts = path === 'search.html' || path === 'lookup.html';
      expect(text, path).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;${scripts ? 'self' : 'none'}&#39;; style-src &#39;self&#39;; img-src https:; base-uri &#39;none&#39;; form-action &#39;self&#39;">`,
      );
      expect(text, path).not.toMatch(/<script(?![^>]*\ssrc=)|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('links every page relatively to files of the site; only 404.html links from the base path', async () => {
    await build({ basePath: '/registry/' });
    const all = new Set(await files(site));
    for (const path of [...all].filter((f) => f.endsWith('.html'))) {
      const text = await page(path);
      for (const [, ref] of text.matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
        if (/^(https?:|mailto:|#)/.test(ref!)) continue;
        if (path === '404.html') {
          expect(ref, `${path} → ${ref}`).toMatch(/^\/registry\//);
          expect(all.has(ref!.slice('/registry/'.length)), `${path} → ${ref}`).toBe(true);
          continue;
        }
        expect(ref, `${path} → ${ref}`).not.toMatch(/^\//);
        const target = posix.normalize(posix.join(posix.dirname(path), ref!.split(/[?#]/)[0]!));
        expect(all.has(target), `${path} → ${ref}`).toBe(true);
      }
    }
  });

  it('ships search documents with quality from the tarballs, and a table of hashes', async () => {
    const search = await page('data/search-index.js');
    expect(search.startsWith('window.GRANARY_SEARCH = {')).toBe(true);
    const data = JSON.parse(search.slice(search.indexOf('{'), search.lastIndexOf('}') + 1));
    const widgets = data.documents.find((d: any) => d.name === 'widgets');
    expect(widgets).toMatchObject({
      latest: '1.1.0',
      keywords: ['ui', 'widgets'],
      scope: null,
      downloads: null,
      quality: { readme: true, tests: true, examples: true },
    });
    expect(data.documents.find((d: any) => d.name === 'parsekit').quality).toEqual({
      readme: true,
      tests: true,
      examples: false,
    });
    expect(data.pages['@acme/gadgets']).toBe('package/@acme/gadgets.html');

    const hashes = await page('data/hashes.js');
    const table = JSON.parse(hashes.slice(hashes.indexOf('{'), hashes.lastIndexOf('}') + 1));
    const registry = await open();
    const [line] = await registry.lines('tokenizer');
    const [index, version] = table.sha256[line!.sha256][0];
    expect([table.packages[index], version]).toEqual([['tokenizer', 'package/tokenizer.html'], '2.1.0']);
    expect(table.content[line!.contentHash!][0]).toEqual([index, '2.1.0']);
  });

  it('keeps what it read from each tarball with the README as HTML: reading again needs neither tarball nor renderer', async () => {
    const registry = await open();
    const line = (await registry.lines('parsekit')).at(-1)!;
    const cacheDir = join(root, 'facts-cache');
    let renders = 0;
    const renderer = (name: string): ReadmeRenderer => ({
      renderer: name,
      render: (readme) => `<p>${++renders} ${readme.file}</p>`,
    });
    const read = (r: ReadmeRenderer, l = line) => readPackageFacts(registry, l, { cacheDir, cwd: root, readmeHtml: r });
    expect((await read(renderer('one'))).readme).toMatchObject({ file: 'README.md', html: '<p>1 README.md</p>' });

    // The tarball is out of reach from now on: what follows comes from the cache directory.
    await rm(join(cacheDir, 'sha256'), { recursive: true });
    const gone = { ...line, asset: 'nowhere/parsekit-1.0.0.tar.gz' };
    const again = await read(renderer('one'), gone);
    expect(again).toMatchObject({ version: '1.0.0', quality: { readme: true, tests: true, examples: false } });
    expect(again.readme?.html).toBe('<p>1 README.md</p>');
    expect((await read(renderer('two'), gone)).readme?.html).toBe('<p>2 README.md</p>');
    expect((await read(renderer('two'), { ...gone, commit: 'b'.repeat(40) })).readme?.html).toBe('<p>3 README.md</p>');
    expect(renders).toBe(3);
  });

  it('rebuilds incrementally: nothing is written when nothing changed, then only what a new version touches', async () => {
    await build({ basePath: '/registry/' });
    const again = await build({ basePath: '/registry/' });
    expect(again).toMatchObject({ written: 0, removed: 0, unchanged: again.files });

    // widgets 2.0.0 drops its `widgets` keyword: that keyword's page goes; only the pages that show widgets'
    // latest version, the keywords or the counts are written again.
    const widgets = PACKAGES.find((p) => p.name === 'widgets')!;
    await fixture.publish(
      { ...widgets, keywords: ['ui'] },
      { version: '2.0.0', daysAgo: 1, files: { 'README.md': '# Widgets 2.0\n', 'src/index.js': 'export {};\n' } },
    );
    const report = await build({ basePath: '/registry/' });
    expect(report.changes).toEqual({
      written: [
        'data/hashes.js',
        'data/search-index.js',
        'index.html',
        'keyword/ui.html',
        'keywords.html',
        'package/widgets.html',
        'packages.html',
        'search.html',
      ],
      removed: ['keyword/widgets.html'],
    });
    expect(report).toMatchObject({ written: 8, removed: 1, unchanged: report.files - 8 });
    expect(await files(site)).not.toContain('keyword/widgets.html');
    expect(await page('package/widgets.html')).toContain('<h3>Widgets 2.0</h3>');
  });

  it('reports a tarball it cannot read on that package page and goes on; refuses a directory it did not build', async () => {
    await rm(join(fixture.storeDir, 'tokenizer', 'tokenizer-2.1.0.tar.gz'));
    const report = await build({ cacheDir: join(root, 'fresh-cache') });
    expect(report.problems).toEqual([
      { name: 'tokenizer', version: '2.1.0', message: expect.stringContaining('tokenizer@2.1.0') },
    ]);
    expect(await page('package/tokenizer.html')).toContain('The README of 2.1.0 could not be read');

    const other = join(root, 'other');
    await mkdir(other);
    await writeFile(join(other, 'notes.txt'), 'mine');
    await expect(buildSite(await open(), { outDir: other, cacheDir: join(root, 'cache'), cwd: root })).rejects.toThrow(
      /not empty and holds no site built by granary/,
    );
    expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('runs as `granary site build`, and says what it wrote', async () => {
    const io = memoryIo({ cwd: root, env: { GRANARY_CACHE: join(root, 'cli-cache') } });
    const args = [
      'site',
      'build',
      '--registry',
      fixture.registryDir,
      '--trust-key',
      fixture.publicKey,
      '--out',
      'cli-site',
    ];
    expect(await main([...args, '--json'], io)).toBe(0);
    const report = JSON.parse(io.text());
    expect(report).toMatchObject({ ok: true, packages: 6, written: report.files, outDir: join(root, 'cli-site') });
    const again = memoryIo({ cwd: root, env: { GRANARY_CACHE: join(root, 'cli-cache') } });
    expect(await main(args, again)).toBe(0);
    expect(again.text()).toMatch(
      /^built \d+ pages \(\d+ files\) for 6 packages in cli-site: 0 written, \d+ unchanged, 0 removed\n/,
    );
    expect(await main([...args, '--base-path', 'x/../y'], memoryIo({ cwd: root }))).toBe(2);
    await expect(readFile(join(dirname(site), 'cli-site', 'index.html'), 'utf8')).resolves.toContain(
      '<h1>test-registry</h1>',
    );
  });
});
