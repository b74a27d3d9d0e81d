// `stats collect`: GitHub's releases listed page by page (both layouts, GitHub's recorded shapes with
// download_count), the day's growth committed on a real index branch with an injected clock, and fs: stores,
// which count nothing.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { parseDownloadStats, STATS_FILE } from '../../core/download-stats.js';
import { curate } from '../../curator/curate/curate.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { checkIndex } from '../../curator/index/check.js';
import { collectDownloadStats } from '../../curator/stats/collect.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import type { DownloadStatsFile } from '../../schema/types.js';
import { createFixture, type Fixture } from '../curate/fixture.js';
import { gitIn } from '../helpers/git.js';
import { TEST_KEY } from '../helpers/keys.js';
import { JSON_HEADERS, OWNER, REPO, assetBody, linkHeader, releaseBody } from '../stores/github-fixtures.js';

const API = 'https://api.github.com';
const R = `/repos/${OWNER}/${REPO}`;
const DAY = 86_400_000;
/** 2026-11-01 00:23 UTC, the hourly workflow's first run of a day; `at(n)` is day n at that time. */
const at = (n: number, hours = 0) => Date.parse('2026-11-01T00:23:00Z') + (n - 1) * DAY + hours * 3_600_000;

function githubStore() {
  return createGitHubStore({
    owner: OWNER,
    repo: REPO,
    octokit: createOctokit({ token: 'test-token', retryBaseMs: 1, writeIntervalMs: 0 }),
  });
}

let nextId = 5000;
/** An uploaded asset as GitHub lists it, with its download count. */
const asset = (tag: string, name: string, downloads: number, state = 'uploaded') => ({
  ...assetBody(nextId++, tag, name, 100, state),
  download_count: downloads,
});
/** A release as GitHub lists it, its assets embedded. */
const release = (id: number, tag: string, assets: Array<Record<string, unknown>>, draft = false) => ({
  ...releaseBody(id, tag),
  draft,
  assets,
});

/** GET /releases answered in pages of the given releases, with GitHub's Link headers. */
function listReleases(api: nock.Scope, pages: Array<Array<Record<string, unknown>>>): void {
  const path = `${R}/releases`;
  pages.forEach((page, i) => {
    const query = i === 0 ? { per_page: '100' } : { per_page: '100', page: String(i + 1) };
    const headers = pages.length > 1 ? { ...JSON_HEADERS, link: linkHeader(path, i + 1, pages.length) } : JSON_HEADERS;
    api.get(path).query(query).reply(200, page, headers);
  });
}

/** A registry with alpha 1.0.0 curated into an fs: store and a signed index branch. */
async function curatedRegistry(): Promise<Fixture & { alphaUrl: string }> {
  const f = await createFixture();
  const url = await f.source('alpha', ['1.0.0', '1.1.0']);
  await f.registry.write('registry.yaml', f.registryYaml());
  await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
  await f.registry.commit('Publish alpha 1.0.0');
  await curate({ repoDir: f.registry.dir, stores: [createFsStore(f.storeDir)], signingKeyPem: TEST_KEY.privateKeyPem });
  return { ...f, alphaUrl: url };
}

const statsOn = async (f: Fixture): Promise<DownloadStatsFile> =>
  parseDownloadStats(Buffer.from((await f.indexFile(STATS_FILE)) ?? ''), STATS_FILE);

describe('the download counts of a GitHub store', () => {
  it('lists the tarballs of both release layouts with their counts, page by page; drafts, sidecars and other tags are left out', async () => {
    const api = nock(API);
    // A release listing that embeds 100 assets is listed again through the release's assets: here 101.
    const big = Array.from({ length: 101 }, (_, i) => asset('big', `big-1.0.${i}.tar.gz`, 1));
    listReleases(api, [
      [
        release(1, 'alpha', [
          asset('alpha', 'alpha-1.0.0.tar.gz', 10),
          asset('alpha', 'alpha-1.0.0.tar.gz.sha256', 99),
          asset('alpha', 'alpha-1.1.0.tar.gz', 2),
          asset('alpha', 'alpha-1.2.0.tar.gz', 50, 'open'),
        ]),
        release(2, '@acme/widgets@2.0.0', [
          asset('@acme/widgets@2.0.0', 'acme_widgets-2.0.0.tar.gz', 7),
          asset('@acme/widgets@2.0.0', 'acme_widgets-2.0.0.tar.gz.sha256', 7),
          // Not this release's version: a per-version release holds one version's assets.
          asset('@acme/widgets@2.0.0', 'acme_widgets-1.0.0.tar.gz', 30),
        ]),
      ],
      [
        release(3, 'v1.0.0', [asset('v1.0.0', 'app.zip', 1000)]),
        release(4, 'beta', [asset('beta', 'beta-1.0.0.tar.gz', 100)], true),
        release(5, 'alpha.2', [asset('alpha.2', 'alpha-2.0.0.tar.gz', 4)]),
        release(6, 'big', big.slice(0, 100)),
      ],
    ]);
    const assetsPath = `${R}/releases/6/assets`;
    api
      .get(assetsPath)
      .query({ per_page: '100' })
      .reply(200, big.slice(0, 100), { ...JSON_HEADERS, link: linkHeader(assetsPath, 1, 2) });
    api
      .get(assetsPath)
      .query({ per_page: '100', page: '2' })
      .reply(200, big.slice(100), { ...JSON_HEADERS, link: linkHeader(assetsPath, 2, 2) });

    const counts = await githubStore().downloadCounts!();
    api.done();
    expect(counts.filter((c) => c.name !== 'big')).toEqual([
      { name: 'alpha', version: '1.0.0', asset: 'alpha/alpha-1.0.0.tar.gz', downloads: 10 },
      { name: 'alpha', version: '1.1.0', asset: 'alpha/alpha-1.1.0.tar.gz', downloads: 2 },
      {
        name: '@acme/widgets',
        version: '2.0.0',
        asset: '%40acme%2Fwidgets%402.0.0/acme_widgets-2.0.0.tar.gz',
        downloads: 7,
      },
      { name: 'alpha', version: '2.0.0', asset: 'alpha.2/alpha-2.0.0.tar.gz', downloads: 4 },
    ]);
    expect(counts.filter((c) => c.name === 'big')).toHaveLength(101);
  });

  it('says where a failure came from', async () => {
    nock(API).get(`${R}/releases`).query(true).reply(404, { message: 'Not Found' }, JSON_HEADERS);
    await expect(githubStore().downloadCounts!()).rejects.toThrow(/listing the releases of acme\/registry-assets/);
  });
});

describe('granary stats collect', () => {
  it('commits the day’s growth on the index branch once a UTC day: totals, per version, the last 30 days', async () => {
    const f = await curatedRegistry();
    let alpha100 = 10;
    let alpha110 = 0;
    const api = nock(API)
      .persist()
      .get(`${R}/releases`)
      .query({ per_page: '100' })
      .reply(() => [
        200,
        [
          release(1, 'alpha', [
            asset('alpha', 'alpha-1.0.0.tar.gz', alpha100),
            asset('alpha', 'alpha-1.0.0.tar.gz.sha256', 1),
            ...(alpha110 > 0 ? [asset('alpha', 'alpha-1.1.0.tar.gz', alpha110)] : []),
          ]),
        ],
        JSON_HEADERS,
      ]);
    const stores = [githubStore()];
    const collect = (now: number) => collectDownloadStats({ repoDir: f.registry.dir, stores, now });
    const tip = () => gitIn(f.registry.dir, 'rev-parse', 'refs/heads/index');

    // Day 1: where the counts stand (no day: those downloads happened before anyone counted).
    const before = await tip();
    const first = await collect(at(1));
    expect(first).toMatchObject({ outcome: 'collected', source: 'github-releases', total: 10, today: 0, packages: 1 });
    expect(first.counted).toEqual(['github:acme/registry-assets']);
    expect(await gitIn(f.registry.dir, 'rev-parse', `${first.indexCommit}^`)).toBe(before);
    expect(await statsOn(f)).toEqual({
      format: 1,
      updatedAt: new Date(at(1)).toISOString(),
      source: 'github-releases',
      since: '2026-11-01',
      packages: { alpha: { total: 10, versions: { '1.0.0': 10 }, days: [] } },
    });

    // Later the same day: not due, nothing asked of GitHub is committed.
    alpha100 = 12;
    const again = await collect(at(1, 20));
    expect(again).toMatchObject({
      outcome: 'not-due',
      indexCommit: undefined,
      updatedAt: new Date(at(1)).toISOString(),
    });
    expect(await tip()).toBe(first.indexCommit);

    // Day 2: 1.0.0 grew by 5 (since the last collection), 1.1.0 appeared with 3.
    alpha100 = 15;
    alpha110 = 3;
    const second = await collect(at(2));
    expect(second).toMatchObject({ outcome: 'collected', total: 18, today: 8 });
    expect((await statsOn(f)).packages['alpha']).toEqual({
      total: 18,
      versions: { '1.0.0': 15, '1.1.0': 3 },
      days: [{ date: '2026-11-02', downloads: 8 }],
    });

    // Day 3: 1.0.0 was uploaded again and counts from 2: nothing is added, the total stays.
    alpha100 = 2;
    await collect(at(3));
    expect((await statsOn(f)).packages['alpha']).toEqual({
      total: 18,
      versions: { '1.0.0': 2, '1.1.0': 3 },
      days: [{ date: '2026-11-02', downloads: 8 }],
    });

    // Day 40: day 2 has left the 30 days kept.
    alpha100 = 6;
    await collect(at(40));
    expect((await statsOn(f)).packages['alpha']!.days).toEqual([{ date: '2026-12-10', downloads: 4 }]);

    expect(api.isDone()).toBe(true);
  });

  it('carries the counts through a curate run, and index check ignores them', async () => {
    const f = await curatedRegistry();
    const api = nock(API)
      .get(`${R}/releases`)
      .query({ per_page: '100' })
      .reply(200, [release(1, 'alpha', [asset('alpha', 'alpha-1.0.0.tar.gz', 3)])], JSON_HEADERS);
    await collectDownloadStats({ repoDir: f.registry.dir, stores: [githubStore()], now: at(1) });
    api.done();
    const stats = await f.indexFile(STATS_FILE);

    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', f.alphaUrl));
    await f.registry.commit('Publish alpha 1.1.0');
    const report = await curate({
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
      signingKeyPem: TEST_KEY.privateKeyPem,
    });
    expect(report.published.map((p) => p.version)).toEqual(['1.1.0']);
    expect(await f.indexFile(STATS_FILE)).toBe(stats);
    const check = await checkIndex({ repoDir: f.registry.dir });
    expect(check.differences).toEqual([]);
    expect(check.ok).toBe(true);
  });

  it('says an fs: store keeps no counts, once, and needs an index branch', async () => {
    const f = await curatedRegistry();
    const stores = [createFsStore(f.storeDir)];
    const none = await collectDownloadStats({ repoDir: f.registry.dir, stores, now: at(1) });
    expect(none).toMatchObject({ outcome: 'collected', source: 'none', counted: [], packages: 0 });
    expect(await statsOn(f)).toEqual({
      format: 1,
      updatedAt: new Date(at(1)).toISOString(),
      source: 'none',
      packages: {},
    });
    // The next day nothing has changed: nothing is committed.
    const tip = await gitIn(f.registry.dir, 'rev-parse', 'refs/heads/index');
    expect(await collectDownloadStats({ repoDir: f.registry.dir, stores, now: at(2) })).toMatchObject({
      outcome: 'unchanged',
      indexCommit: undefined,
    });
    expect(await gitIn(f.registry.dir, 'rev-parse', 'refs/heads/index')).toBe(tip);

    const fresh = await createFixture();
    await fresh.registry.write('registry.yaml', fresh.registryYaml());
    await fresh.registry.commit('Registry settings');
    expect(await collectDownloadStats({ repoDir: fresh.registry.dir, stores, now: at(1) })).toMatchObject({
      outcome: 'no-index',
      indexCommit: undefined,
    });
  });

  it('starts the counts anew when the file on the branch cannot be read', async () => {
    const f = await curatedRegistry();
    const stores = [createFsStore(f.storeDir)];
    // A file that is not a stats file, committed by the branch's one writer as a damaged run would leave it.
    const { commitIndex } = await import('../../curator/index/index-branch.js');
    const { Git } = await import('../../curator/git/repository.js');
    const git = new Git(f.registry.dir);
    await commitIndex(git, {
      branch: 'index',
      parent: await git.resolveRef('refs/heads/index'),
      changes: new Map([[STATS_FILE, Buffer.from('{"format":1,"packages":[]}')]]),
      message: 'damaged\n',
      date: new Date(at(1)).toISOString(),
    });
    git.close();
    const lines: string[] = [];
    const report = await collectDownloadStats({
      repoDir: f.registry.dir,
      stores,
      now: at(1),
      log: (l) => lines.push(l),
    });
    expect(report).toMatchObject({ outcome: 'collected', source: 'none' });
    expect(report.restarted).toMatch(/not a stats file/);
    expect(lines.join('\n')).toMatch(/cannot be read .* the counts start anew/);
  });

  it('runs from the command line: --store fs: says there are no counts, --json reports it', async () => {
    const f = await curatedRegistry();
    const io = memoryIo({ cwd: f.registry.dir });
    expect(await main(['stats', 'collect', '--store', `fs:${f.storeDir}`, '--json'], io), io.err.join('')).toBe(0);
    expect(JSON.parse(io.text())).toMatchObject({
      ok: true,
      outcome: 'collected',
      source: 'none',
      branch: 'index',
    });
    const again = memoryIo({ cwd: f.registry.dir });
    expect(await main(['stats', 'collect', '--store', `fs:${f.storeDir}`], again)).toBe(0);
    expect(again.text()).toMatch(
      /^not yet: the downloads were counted at .* \(once a UTC day; --force counts again\)$/m,
    );
  });
});
