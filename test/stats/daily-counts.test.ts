// The rule that turns the stores' cumulative counts into daily increments, tested with plain data.
import { describe, expect, it } from 'vitest';
import { parseDownloadStats, serializeDownloadStats } from '../../core/download-stats.js';
import { collectionDue, nextDownloadStats } from '../../curator/stats/daily-counts.js';
import type { DownloadStatsFile } from '../../schema/types.js';

const DAY = 86_400_000;
const day1 = Date.parse('2026-11-01T00:23:00Z');
const at = (n: number, hour = 0) => day1 + (n - 1) * DAY + hour * 3_600_000;
const counts = (entries: Record<string, Record<string, number>>) =>
  new Map(Object.entries(entries).map(([name, v]) => [name, new Map(Object.entries(v))]));

/** The file after the same bytes a collection commits, read back. */
const roundTrip = (file: DownloadStatsFile) => parseDownloadStats(serializeDownloadStats(file), 'test');

describe('daily download counts', () => {
  it('records where the counts stand on the first collection: totals, per version, no day', () => {
    const first = roundTrip(nextDownloadStats(undefined, counts({ 'left-pad': { '1.0.0': 40, '1.1.0': 2 } }), at(1)));
    expect(first).toEqual({
      format: 1,
      updatedAt: '2026-11-01T00:23:00.000Z',
      source: 'github-releases',
      since: '2026-11-01',
      packages: { 'left-pad': { total: 42, versions: { '1.0.0': 40, '1.1.0': 2 }, days: [] } },
    });
  });

  it('adds what each count grew by, dated on the day of the collection; a new version adds its whole count', () => {
    const first = nextDownloadStats(undefined, counts({ a: { '1.0.0': 10 } }), at(1));
    const second = roundTrip(
      nextDownloadStats(first, counts({ a: { '1.0.0': 15, '2.0.0': 3 }, b: { '0.1.0': 1 } }), at(2)),
    );
    expect(second.packages['a']).toEqual({
      total: 18,
      versions: { '1.0.0': 15, '2.0.0': 3 },
      days: [{ date: '2026-11-02', downloads: 8 }],
    });
    expect(second.packages['b']).toEqual({
      total: 1,
      versions: { '0.1.0': 1 },
      days: [{ date: '2026-11-02', downloads: 1 }],
    });
    expect(second.since).toBe('2026-11-01');
  });

  it('counts a count that went down (the asset uploaded again) as 0 and takes it as the new base', () => {
    const first = nextDownloadStats(undefined, counts({ a: { '1.0.0': 50 } }), at(1));
    const dropped = nextDownloadStats(first, counts({ a: { '1.0.0': 4 } }), at(2));
    expect(dropped.packages['a']).toEqual({ total: 50, versions: { '1.0.0': 4 }, days: [] });
    const after = nextDownloadStats(dropped, counts({ a: { '1.0.0': 9 } }), at(3));
    expect(after.packages['a']).toEqual({
      total: 55,
      versions: { '1.0.0': 9 },
      days: [{ date: '2026-11-03', downloads: 5 }],
    });
  });

  it('keeps an unpublished version at its last count: totals never go down', () => {
    const first = nextDownloadStats(undefined, counts({ a: { '1.0.0': 5, '1.0.1': 7 } }), at(1));
    const next = nextDownloadStats(first, counts({ a: { '1.0.0': 6 } }), at(2));
    expect(next.packages['a']).toEqual({
      total: 13,
      versions: { '1.0.0': 6, '1.0.1': 7 },
      days: [{ date: '2026-11-02', downloads: 1 }],
    });
  });

  it('adds a second collection of the same day to that day', () => {
    const first = nextDownloadStats(undefined, counts({ a: { '1.0.0': 1 } }), at(1));
    const morning = nextDownloadStats(first, counts({ a: { '1.0.0': 3 } }), at(2, 1));
    const evening = nextDownloadStats(morning, counts({ a: { '1.0.0': 10 } }), at(2, 20));
    expect(evening.packages['a']!.days).toEqual([{ date: '2026-11-02', downloads: 9 }]);
    expect(evening.packages['a']!.total).toBe(10);
  });

  it('keeps the last 30 days and only days with downloads', () => {
    // One download a day, except on every third day; 40 days of collections.
    let cumulative = 0;
    let file = nextDownloadStats(undefined, counts({ a: { '1.0.0': 0 } }), at(1));
    for (let n = 2; n <= 40; n++) {
      if (n % 3 !== 0) cumulative++;
      file = nextDownloadStats(file, counts({ a: { '1.0.0': cumulative } }), at(n));
    }
    const { days, total } = roundTrip(file).packages['a']!;
    expect(total).toBe(cumulative);
    // Day 40 is 2026-12-10: the window is 2026-11-11 to 2026-12-10, less the ten days divisible by 3.
    expect(days).toHaveLength(20);
    expect(days[0]).toEqual({ date: '2026-11-11', downloads: 1 });
    expect(days.at(-1)).toEqual({ date: '2026-12-10', downloads: 1 });
    expect(days.map((d) => d.date)).not.toContain('2026-11-12');
  });

  it('says so when no store counts downloads, and counts anew once one does', () => {
    const none = roundTrip(nextDownloadStats(undefined, undefined, at(1)));
    expect(none).toEqual({ format: 1, updatedAt: '2026-11-01T00:23:00.000Z', source: 'none', packages: {} });
    const counted = nextDownloadStats(none, counts({ a: { '1.0.0': 8 } }), at(2));
    expect(counted).toMatchObject({ source: 'github-releases', since: '2026-11-02' });
    expect(counted.packages['a']).toEqual({ total: 8, versions: { '1.0.0': 8 }, days: [] });
  });

  it('is due once a UTC day', () => {
    const file = nextDownloadStats(undefined, undefined, at(1));
    expect(collectionDue(undefined, at(1))).toBe(true);
    expect(collectionDue(file, at(1, 23))).toBe(false);
    expect(collectionDue(file, at(2))).toBe(true);
  });

  it('writes one package per line, in name order, and reads back what it wrote', () => {
    const file = nextDownloadStats(undefined, counts({ zeta: { '1.0.0': 1 }, '@acme/a': { '1.0.0': 2 } }), at(1));
    const text = serializeDownloadStats(file).toString();
    expect(text.split('\n')).toEqual([
      '{"format":1,"updatedAt":"2026-11-01T00:23:00.000Z","source":"github-releases","since":"2026-11-01","packages":{',
      '"@acme/a":{"total":2,"versions":{"1.0.0":2},"days":[]},',
      '"zeta":{"total":1,"versions":{"1.0.0":1},"days":[]}',
      '}}',
      '',
    ]);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(file)));
  });
});
