// The download counts on the website: read from the index branch beside the signed index (hostile JSON
// ignored with a warning), shown as totals and a 30-day chart drawn at build time, ranked on the home page
// and in search; `site publish` commits the site under site/ of the branch; mirrors and index check ignore both.
import nock from 'nock';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { mirrorRegistry } from '../../client/mirror.js';
import { buildSite } from '../../client/site/build-site.js';
import { sparkline } from '../../client/site/downloads.js';
import { readDownloadStats, siteStats } from '../../client/site/read-stats.js';
import type { IndexSource } from '../../client/source.js';
import { MAX_STATS_BYTES, STATS_FILE } from '../../core/download-stats.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { Git } from '../../curator/git/repository.js';
import { checkIndex } from '../../curator/index/check.js';
import { commitIndex } from '../../curator/index/index-branch.js';
import { publishSite, SITE_SOURCE_FILE } from '../../curator/site/publish-site.js';
import { collectDownloadStats } from '../../curator/stats/collect.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import { gitIn } from '../helpers/git.js';
import { JSON_HEADERS, OWNER, REPO, assetBody, releaseBody } from '../stores/github-fixtures.js';
import { buildSiteFixture, type SiteFixture } from '../site/fixture.js';

const DAY = 86_400_000;
const at = (n: number) => Date.parse('2026-11-01T00:23:00Z') + (n - 1) * DAY;

let root: string;
let fixture: SiteFixture;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'granary-site-stats-'));
  fixture = await buildSiteFixture(root);
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The GitHub releases of the fixture's packages, per-package layout, with these counts. */
function releases(counts: Record<string, Record<string, number>>): void {
  let id = 100;
  const body = Object.entries(counts).map(([name, versions]) => {
    const tag = name;
    const stem = name.replace(/^@([^/]+)\//, '$1_');
    return {
      ...releaseBody(id++, tag),
      assets: Object.entries(versions).map(([version, n]) => ({
        ...assetBody(id++, tag, `${stem}-${version}.tar.gz`, 100),
        download_count: n,
      })),
    };
  });
  nock('https://api.github.com')
    .get(`/repos/${OWNER}/${REPO}/releases`)
    .query({ per_page: '100' })
    .reply(200, body, JSON_HEADERS);
}

const github = () =>
  createGitHubStore({
    owner: OWNER,
    repo: REPO,
    octokit: createOctokit({ token: 't', retryBaseMs: 1, writeIntervalMs: 0 }),
  });
const collect = (now: number, stores = [github()], force = false) =>
  collectDownloadStats({ repoDir: fixture.registryDir, stores, now, force });
const open = () =>
  openRegistry(fixture.registryDir, { cwd: root, trustKey: fixture.publicKey, cacheDir: join(root, 'cache') });

async function build(warnings: string[] = []): Promise<(path: string) => Promise<string>> {
  const out = await mkdtemp(join(root, 'site-'));
  await buildSite(await open(), {
    outDir: out,
    cacheDir: join(root, 'cache'),
    cwd: root,
    warn: (m) => warnings.push(m),
  });
  return (path) => readFile(join(out, ...path.split('/')), 'utf8');
}

/** Commit `bytes` as the stats file, through the branch's one writer. */
async function plantStats(bytes: Buffer): Promise<void> {
  const git = new Git(fixture.registryDir);
  try {
    await commitIndex(git, {
      branch: 'index',
      parent: await git.resolveRef('refs/heads/index'),
      changes: new Map([[STATS_FILE, bytes]]),
      message: 'Planted download counts\n',
      date: new Date(at(1)).toISOString(),
    });
  } finally {
    git.close();
  }
}

const show = (path: string) => gitIn(fixture.registryDir, 'cat-file', 'blob', `refs/heads/index:${path}`);

describe('download counts on the website', () => {
  it('shows totals, the last 30 days as an inline SVG chart with a title and a table, and ranks by them', async () => {
    releases({ widgets: { '1.0.0': 100, '1.1.0': 20 }, '@acme/gadgets': { '1.0.0': 5 }, parsekit: { '1.0.0': 40 } });
    await collect(at(1));
    releases({ widgets: { '1.0.0': 103, '1.1.0': 30 }, '@acme/gadgets': { '1.0.0': 5 }, parsekit: { '1.0.0': 41 } });
    await collect(at(2));
    releases({ widgets: { '1.0.0': 103, '1.1.0': 36 }, '@acme/gadgets': { '1.0.0': 5 }, parsekit: { '1.0.0': 41 } });
    await collect(at(4));
    expect(nock.isDone()).toBe(true);

    const warnings: string[] = [];
    const page = await build(warnings);
    expect(warnings).toEqual([]);
    const widgets = await page('package/widgets.html');
    expect(widgets).toContain(
      '<dt>Downloads</dt><dd>139 in all, 19 in the last 30 days <span class="muted">(counted from 2026-11-02)</span>',
    );
    const svg = /<svg class="sparkline"[^]*?<\/svg>/.exec(widgets)?.[0] ?? '';
    const label = 'Downloads of widgets per day from 2026-10-06 to 2026-11-04: 19 in all, most on 2026-11-02 (13)';
    expect(svg).toContain(`role="img" aria-label="${label}"`);
    expect(svg).toContain(`<title>${label}</title>`);
    // The baseline, and a bar for each of the two days with downloads: the busiest is the full height.
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('<rect x="135" y="0" width="4" height="31"/>');
    expect(svg).toContain('<rect x="145" y="17" width="4" height="14"/>');
    expect(widgets).toContain('<tr><td>2026-11-04</td><td>6</td></tr>');
    expect(widgets).toContain('<tr><td>2026-11-03</td><td>0</td></tr>');
    expect(widgets).toContain('<tr><td>2026-11-01</td><td>not counted</td></tr>');

    const home = await page('index.html');
    const most = home.slice(home.indexOf('<h2>Most downloaded</h2>'), home.indexOf('<h2>Keywords</h2>'));
    expect([...most.matchAll(/<a href="package\/([^"]+)\.html">/g)].map((m) => m[1])).toEqual([
      'widgets',
      'parsekit',
      '@acme/gadgets',
    ]);
    expect(most).toContain('Downloads, all time.');
    const search = await page('data/search-index.js');
    const data = JSON.parse(search.slice(search.indexOf('{'), search.lastIndexOf('}') + 1)) as {
      documents: Array<{ name: string; downloads: number | null }>;
    };
    expect(data.documents.find((d) => d.name === 'widgets')?.downloads).toBe(139);
    expect(data.documents.find((d) => d.name === 'tokenizer')?.downloads).toBe(0);
    expect(await page('search.html')).toContain('<option value="downloads">Most downloaded</option>');
  });

  it('says so when the stores keep no counts', async () => {
    await collect(at(5), [createFsStore(fixture.storeDir)], true);
    const page = await build();
    expect(await page('package/widgets.html')).toContain(
      "<dt>Downloads</dt><dd>not counted: this registry's store keeps no download counts</dd>",
    );
    expect(await page('index.html')).toContain("<p>Not counted: this registry's store keeps no download counts.</p>");
    expect(await page('search.html')).toContain('<option value="downloads">Most downloaded (not counted)</option>');
  });

  it.each([
    ['not JSON', Buffer.from('{"format":1,')],
    [
      'not a stats file',
      Buffer.from(
        '{"format":1,"updatedAt":"2026-11-01T00:00:00Z","source":"github-releases","packages":{"<b>x</b>":{}}}',
      ),
    ],
    [
      'days out of order',
      Buffer.from(
        '{"format":1,"updatedAt":"2026-11-01T00:00:00Z","source":"github-releases","packages":{"widgets":{"total":1,"versions":{},"days":[{"date":"2026-11-02","downloads":1},{"date":"2026-11-01","downloads":1}]}}}',
      ),
    ],
  ])('ignores hostile counts (%s) with a warning and builds as without any', async (_what, bytes) => {
    await plantStats(bytes);
    const warnings: string[] = [];
    const page = await build(warnings);
    expect(warnings).toEqual([expect.stringMatching(/^ignoring the download counts \(.*stats\/downloads\.json\): /)]);
    expect(await page('package/widgets.html')).toContain('<dt>Downloads</dt><dd>no download counts yet</dd>');
  });

  it('refuses counts larger than the cap before parsing them', async () => {
    const warnings: string[] = [];
    const source: IndexSource = {
      description: 'a registry',
      readFile: async (path) => (path === STATS_FILE ? Buffer.alloc(MAX_STATS_BYTES + 1, 0x20) : undefined),
    };
    expect(await readDownloadStats(source, (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/more than 67108864/)]);
    expect(await readDownloadStats({ ...source, readFile: async () => undefined }, (m) => warnings.push(m))).toBe(
      undefined,
    );
    expect(warnings).toHaveLength(1);
  });
});

describe('the chart', () => {
  it('scales bars to the busiest day, leaves days without downloads on the baseline, and names what it shows', () => {
    const stats = siteStats({
      format: 1,
      updatedAt: '2026-11-30T00:23:00.000Z',
      source: 'github-releases',
      since: '2026-10-01',
      packages: {
        a: {
          total: 9,
          versions: { '1.0.0': 9 },
          days: [
            { date: '2026-11-01', downloads: 2 },
            { date: '2026-11-30', downloads: 4 },
          ],
        },
      },
    });
    const daily = stats.daily!.get('a')!;
    expect(daily.countedFrom).toBeUndefined();
    expect(daily.days).toHaveLength(30);
    const svg = sparkline('a', daily).text;
    expect(svg).toBe(
      '<svg class="sparkline" role="img" aria-label="Downloads of a per day from 2026-11-01 to 2026-11-30: 6 in all, most on 2026-11-30 (4)" width="149" height="32" viewBox="0 0 149 32" fill="currentColor"><title>Downloads of a per day from 2026-11-01 to 2026-11-30: 6 in all, most on 2026-11-30 (4)</title><rect class="baseline" x="0" y="31" width="149" height="1"/><rect x="0" y="15" width="4" height="16"/><rect x="145" y="0" width="4" height="31"/></svg>',
    );
    expect(sparkline('b', { days: daily.days.map((d) => ({ ...d, downloads: 0 })) }).text).toContain(
      'aria-label="Downloads of b per day from 2026-11-01 to 2026-11-30: none"',
    );
  });
});

describe('granary site publish', () => {
  it('commits the site under site/ of the index branch, only when the index or the counts changed', async () => {
    releases({ widgets: { '1.0.0': 200, '1.1.0': 50 } });
    await collect(at(10), [github()], true);
    const cacheDir = join(root, 'publish-cache');
    const first = await publishSite({ repoDir: fixture.registryDir, basePath: '/registry/site/', cacheDir });
    expect(first.outcome).toBe('published');
    expect(await gitIn(fixture.registryDir, 'rev-parse', 'refs/heads/index')).toBe(first.indexCommit);
    expect(first.written).toEqual(
      expect.arrayContaining(['site/index.html', 'site/package/widgets.html', 'site/404.html']),
    );
    expect(first.written).not.toContain('site/.granary-site.json');
    expect(await show('site/404.html')).toContain('href="/registry/site/');
    expect(await show('site/package/widgets.html')).toContain('<svg class="sparkline"');
    expect(JSON.parse(await show(SITE_SOURCE_FILE))).toMatchObject({ format: 1, basePath: '/registry/site/' });

    const again = await publishSite({ repoDir: fixture.registryDir, basePath: '/registry/site/', cacheDir });
    expect(again).toMatchObject({ outcome: 'up-to-date', indexCommit: undefined });

    // New counts the next day: only the pages that show them are written again.
    releases({ widgets: { '1.0.0': 210, '1.1.0': 50 } });
    await collect(at(11));
    const next = await publishSite({ repoDir: fixture.registryDir, basePath: '/registry/site/', cacheDir });
    expect(next.outcome).toBe('published');
    expect(next.written).toContain('site/package/widgets.html');
    expect(next.written).not.toContain('site/package/tokenizer.html');
    expect(next.written).not.toContain('site/assets/site.css');
    expect(next.removed).toEqual([]);
    expect(await show('site/package/widgets.html')).toContain('260 in all');

    // Beside the index, not in it: index check passes and a mirror copies neither.
    expect((await checkIndex({ repoDir: fixture.registryDir })).differences).toEqual([]);
    const dest = await mkdtemp(join(root, 'mirror-'));
    const report = await mirrorRegistry(await open(), dest);
    expect(report.written.filter((p) => /(^|\/)(site|stats)\//.test(p))).toEqual([]);
    expect(await readdir(join(dest, 'index'))).not.toContain('site');
    expect(await readdir(join(dest, 'index'))).not.toContain('stats');
  });
});
