/**
 * A package's downloads on its page: the totals, a chart of the last 30 days drawn as inline SVG when the
 * site is built (no script, no image to fetch), with a title screen readers announce and the same numbers
 * as a table for anyone who cannot see the chart.
 */
import { markup, type Html } from './html.js';
import type { DailyDownloads, SiteModel } from './site-model.js';

const BAR = 4;
const GAP = 1;
const HEIGHT = 32;

/** The "Downloads" fact of a package's page. */
export function downloadsFact(model: SiteModel, name: string): Html {
  const stats = model.stats;
  if (stats === undefined) return markup`no download counts yet`;
  if (stats.kept === false) return markup`not counted: this registry's store keeps no download counts`;
  const total = stats.downloads.get(name) ?? 0;
  const daily = stats.daily?.get(name);
  if (daily === undefined) return markup`${count(total)} (${stats.period})`;
  const recent = daily.days.reduce((n, d) => n + d.downloads, 0);
  return markup`${count(total)} in all, ${count(recent)} in the last 30 days${
    daily.countedFrom ? markup` <span class="muted">(counted from ${daily.countedFrom})</span>` : ''
  }
${sparkline(name, daily)}
<details class="daily"><summary>Downloads per day</summary>
<table>
<caption class="visually-hidden">Downloads of ${name} per day, last 30 days</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Downloads</th></tr></thead>
<tbody>
${[...daily.days].reverse().map((d) => markup`<tr><td>${d.date}</td><td>${unknown(daily, d.date) ? 'not counted' : count(d.downloads)}</td></tr>\n`)}</tbody>
</table>
</details>`;
}

/** Bars for the 30 days, oldest on the left, scaled to the busiest day; a baseline shows the days with none. */
export function sparkline(name: string, daily: DailyDownloads): Html {
  const days = daily.days;
  const first = days[0]?.date ?? '';
  const last = days.at(-1)?.date ?? '';
  const busiest = days.reduce(
    (best, d) => (d.downloads > best.downloads ? d : best),
    days[0] ?? { date: '', downloads: 0 },
  );
  const max = Math.max(1, busiest.downloads);
  const width = days.length * (BAR + GAP) - GAP;
  const label =
    busiest.downloads === 0
      ? `Downloads of ${name} per day from ${first} to ${last}: none`
      : `Downloads of ${name} per day from ${first} to ${last}: ${count(days.reduce((n, d) => n + d.downloads, 0))} in all, most on ${busiest.date} (${count(busiest.downloads)})`;
  const bars = days.map((d, i) => {
    const h = d.downloads === 0 ? 0 : Math.max(1, Math.round(((HEIGHT - 1) * d.downloads) / max));
    return h === 0 ? '' : markup`<rect x="${i * (BAR + GAP)}" y="${HEIGHT - 1 - h}" width="${BAR}" height="${h}"/>`;
  });
  return markup`<svg class="sparkline" role="img" aria-label="${label}" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" fill="currentColor"><title>${label}</title><rect class="baseline" x="0" y="${HEIGHT - 1}" width="${width}" height="1"/>${bars}</svg>`;
}

function unknown(daily: DailyDownloads, date: string): boolean {
  return daily.countedFrom !== undefined && date < daily.countedFrom;
}

function count(n: number): string {
  return n.toLocaleString('en');
}
