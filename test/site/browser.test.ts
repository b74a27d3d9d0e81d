// The built site in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), served by
// `granary site serve`'s server under a base path, and once from file://: browse, search by a typo, filter,
// follow links, look a hash up, read pages without JavaScript, check accessibility with axe-core, and check
// that a hostile README runs nothing. The page's search and the shared ranking in Node order results alike.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { buildSite } from '../../client/site/build-site.js';
import ranking, { type Query, type SearchDocument } from '../../client/site/ranking.cjs';
import { serveDirectory, type StaticServer } from '../../client/site/static-server.js';
import { integrityFromHex } from '../../core/hash.js';
import { buildSiteFixture, type SiteFixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const BASE = '/registry/';
const require = createRequire(import.meta.url);
const available = existsSync(CHROMIUM);
const title = available
  ? 'the site in Chromium'
  : `the site in Chromium — skipped: ${CHROMIUM} is not installed (.ci/run installs Debian's chromium package with apt-get when it runs as root)`;

let root: string;
let fixture: SiteFixture;
let site: string;
let server: StaticServer;
let browser: Browser;
/** Pages as visitors get them: the Content-Security-Policy enforced. */
let strict: BrowserContext;
/** For axe only: its script is injected, which the pages' policy would (rightly) refuse. */
let audit: BrowserContext;
let url: string;

/** Open `path` of the served site; fails the test on any console error or uncaught exception. */
async function visit(context: BrowserContext, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(path.startsWith('file:') ? path : `${url}${path}`);
  return { page, errors };
}

/** Serious and critical accessibility violations axe-core finds on the page as it is. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const page = globalThis as any;
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n: any) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: any) => `${v.impact} ${v.id}: ${v.nodes.join(', ')}`);
}

const resultNames = (page: Page) =>
  page.locator('#results > li').evaluateAll((items) => items.map((li) => (li as any).dataset.name as string));

beforeAll(async () => {
  if (!available) return;
  const { chromium } = await import('playwright-core');
  root = await mkdtemp(join(tmpdir(), 'granary-site-browser-'));
  fixture = await buildSiteFixture(root);
  site = join(root, 'site');
  const registry = await openRegistry(fixture.registryDir, {
    cwd: root,
    trustKey: fixture.publicKey,
    cacheDir: join(root, 'cache'),
  });
  await buildSite(registry, { outDir: site, basePath: BASE, cacheDir: join(root, 'cache'), cwd: root });
  server = await serveDirectory(site, { indexFile: 'index.html', basePath: BASE });
  url = `${server.url}${BASE}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  strict = await browser.newContext();
  audit = await browser.newContext({ bypassCSP: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.skipIf(!available)(title, () => {
  it('home page: counts, recent versions, no download counts yet; under 100 KB; no serious accessibility fault', async () => {
    const { page, errors } = await visit(strict, '');
    const cdp = await strict.newCDPSession(page);
    await cdp.send('Network.enable');
    let transferred = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => void (transferred += e.encodedDataLength));
    await page.reload({ waitUntil: 'networkidle' });
    expect(transferred).toBeGreaterThan(1000);
    expect(transferred).toBeLessThanOrEqual(100 * 1024);
    console.log(`home page transferred: ${transferred} bytes`);
    expect(await page.locator('h1').textContent()).toBe('test-registry');
    expect(await page.locator('.stats').innerText()).toMatch(/6\s+packages[\s\S]*8\s+versions[\s\S]*1\s+scopes/);
    expect(await page.locator('main').innerText()).toContain('No download counts yet');
    const recent = await page.locator('h2:has-text("Recently published") + ul > li > a').allInnerTexts();
    expect(recent.slice(0, 2)).toEqual(['hostile', 'tokenizer']);
    // The stylesheet applied: its relative link resolved under the base path.
    expect(await page.locator('header.site').evaluate((e) => (globalThis as any).getComputedStyle(e).display)).toBe(
      'flex',
    );
    expect(errors).toEqual([]);

    const audited = await visit(audit, '');
    expect(await accessibilityProblems(audited.page)).toEqual([]);
  });

  it('search: a typo of a name finds it first; the keyword filter narrows; no serious accessibility fault', async () => {
    const { page, errors } = await visit(strict, 'index.html');
    await page.getByLabel('Search packages').fill('widgts');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/search\.html\?q=widgts/);
    await expect.poll(() => resultNames(page)).toContain('widgets');
    expect((await resultNames(page))[0]).toBe('widgets');
    expect(await page.locator('#status').textContent()).toContain('match “widgts”');

    await page.getByLabel('Words').fill('');
    await page.getByLabel('Keyword').selectOption('parser');
    await expect.poll(() => page.locator('#status').textContent()).toBe('2 packages match.');
    expect((await resultNames(page)).sort()).toEqual(['parsekit', 'tokenizer']);
    expect(page.url()).toContain('keyword=parser');
    await page.getByLabel('Scope').selectOption('@acme');
    await expect.poll(() => page.locator('#status').textContent()).toBe('No package matches.');
    expect(errors).toEqual([]);

    const audited = await visit(audit, 'search.html?q=ui');
    await audited.page.waitForSelector('#results > li');
    expect(await accessibilityProblems(audited.page)).toEqual([]);
  });

  it('package page: README, revision history and dependents; a dependency link leads to its page', async () => {
    const { page, errors } = await visit(strict, 'package/@acme/gadgets.html');
    const main = page.locator('main');
    expect(await main.locator('.readme h3').textContent()).toBe('Gadgets');
    expect(await main.textContent()).toContain('A gadget is a widget with a purpose.');
    const revision = main.locator('h2:has-text("Revisions") ~ ol > li').first();
    expect(await revision.textContent()).toMatch(/Revision 2, \d{4}-\d\d-\d\d: widgets 1\.1 changed the button API/);
    expect(await revision.locator('del').textContent()).toBe('from ^1.0.0');
    expect(await revision.locator('ins').textContent()).toBe('to >=1.0.0 <1.1.0');
    expect(await main.locator('h2:has-text("Dependents") + p + ul').textContent()).toContain('parsekit ^1.0.0');
    await main.locator('table').first().getByRole('link', { name: 'widgets' }).click();
    await page.waitForURL(`${url}package/widgets.html`);
    expect(await page.locator('h1').textContent()).toBe('widgets');
    expect(await page.locator('tr:has(th:text-is("1.0.0"))').textContent()).toContain('deprecated use widgets 1.1.0');
    expect(await page.locator('h2:has-text("Dependents") + p + ul').textContent()).toContain(
      '@acme/gadgets >=1.0.0 <1.1.0',
    );
    expect(errors).toEqual([]);

    const audited = await visit(audit, 'package/widgets.html');
    expect(await accessibilityProblems(audited.page)).toEqual([]);
  });

  it('a hostile README runs nothing, and its script and handlers are not in the page', async () => {
    const { page, errors } = await visit(strict, 'package/hostile.html');
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.readme').textContent()).toContain('Looks harmless.');
    await page.locator('.readme').getByText('click me').click();
    expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => (globalThis as any).document.scripts.length)).toBe(0);
    expect(await page.locator('[onerror], [onclick], [onload], img[src="x"]').count()).toBe(0);
    expect(await page.content()).not.toContain('__pwned');
    expect(errors).toEqual([]);
  });

  it('the page and the shared ranking in Node order every query the same', async () => {
    const text = await readFile(join(site, 'data', 'search-index.js'), 'utf8');
    const data = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as {
      documents: SearchDocument[];
      index: Parameters<typeof MiniSearch.loadJS>[0];
    };
    const index = MiniSearch.loadJS(data.index, { ...ranking.INDEX_OPTIONS });
    const queries: Array<Omit<Query, 'now'>> = [
      { text: 'widgts' },
      { text: 'parser' },
      { text: 'text' },
      { text: 'wid', sort: 'recent' },
      { text: 'gadgets', scope: '@acme' },
      { keyword: 'ui' },
      { license: 'MIT', sort: 'downloads' },
      {},
    ];
    const { page } = await visit(strict, 'search.html');
    for (const q of queries) {
      const params = new URLSearchParams();
      if (q.text) params.set('q', q.text);
      for (const key of ['scope', 'keyword', 'license', 'sort'] as const) if (q[key]) params.set(key, q[key]!);
      await page.goto(`${url}search.html?${params}`);
      await page.waitForFunction(() => (globalThis as any).document.getElementById('status')?.textContent !== '');
      const node = ranking.rank(index, data.documents, { ...q, now: Date.now() }).map((h) => h.document.name);
      expect(await resultNames(page), JSON.stringify(q)).toEqual(node);
    }
  });

  it('works from file:// too: search by a typo, then a package page with its stylesheet', async () => {
    const { page, errors } = await visit(strict, `${pathToFileURL(join(site, 'search.html')).href}?q=parsekt`);
    await expect.poll(() => resultNames(page)).toContain('parsekit');
    expect((await resultNames(page))[0]).toBe('parsekit');
    await page.locator('#results > li').first().getByRole('link').click();
    await page.waitForURL(pathToFileURL(join(site, 'package', 'parsekit.html')).href);
    expect(await page.locator('h1').textContent()).toBe('parsekit');
    expect(page.url()).toBe(pathToFileURL(join(site, 'package', 'parsekit.html')).href);
    expect(await page.locator('header.site').evaluate((e) => (globalThis as any).getComputedStyle(e).display)).toBe(
      'flex',
    );
    expect(errors).toEqual([]);
  });

  it('lookup: a tarball SHA-256, its integrity or a content hash names the version', async () => {
    const registry = await openRegistry(fixture.registryDir, {
      cwd: root,
      trustKey: fixture.publicKey,
      cacheDir: join(root, 'cache'),
    });
    const line = (await registry.lines('parsekit')).find((l) => l.version === '0.9.0')!;
    const { page, errors } = await visit(strict, `lookup.html#${line.sha256}`);
    await expect
      .poll(() => page.locator('#results > li').allTextContents())
      .toEqual(['parsekit@0.9.0 its tarball has this SHA-256']);
    await page.getByLabel('SHA-256, integrity or content hash').fill(integrityFromHex(line.sha256));
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.locator('#results a').allTextContents()).toEqual(['parsekit@0.9.0']);
    await page.getByLabel('SHA-256, integrity or content hash').fill(line.contentHash!.toUpperCase());
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect
      .poll(() => page.locator('#results > li').allTextContents())
      .toEqual(['parsekit@0.9.0 its files have this content hash']);
    await page.locator('#results a').click();
    await page.waitForURL(`${url}package/parsekit.html`);
    expect(await page.locator('h1').textContent()).toBe('parsekit');
    expect(errors).toEqual([]);
  });

  it('without JavaScript, pages read the same and the search page says why it needs scripts', async () => {
    const off = await browser.newContext({ javaScriptEnabled: false });
    try {
      const { page } = await visit(off, 'package/widgets.html');
      expect(await page.locator('.readme h3').first().textContent()).toBe('Widgets');
      expect(await page.locator('main').textContent()).toContain('granary install widgets');
      await page.getByRole('link', { name: 'All packages' }).click();
      await page.waitForURL(`${url}packages.html`);
      expect(await page.locator('ul.packages > li').count()).toBe(6);
      await page.goto(`${url}search.html`);
      expect(await page.locator('main .notice').textContent()).toContain(
        'Search runs in your browser and needs JavaScript',
      );
      await page.goto(`${url}lookup.html`);
      expect(await page.locator('main .notice').textContent()).toContain('Looking a hash up needs JavaScript');
    } finally {
      await off.close();
    }
  });
});
