/**
 * `granary site build` on the converted PureScript registry (1,158 packages, 5,494 versions): a full build
 * into an empty directory with an empty cache (every shown version's tarball read and verified),
 * then, after one new version is published as the next index generation, a rebuild into the same
 * directory with the same cache. Each figure is what the command does: open the registry (TUF verified)
 * and build. Floors, measured in the same run: for the full build, writing its files with plain
 * fs.writeFile; for the rebuild, what any rebuild that writes only changed files does at least: read
 * every file of the site back, and write the changed ones.
 *
 * `npx tsx tools/bench/site.ts`
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRegistry } from '../../client/registry.js';
import { buildSite, type SiteReport } from '../../client/site/build-site.js';
import { hasPurescriptData, purescriptDataDir, skippedWithoutData } from './purescript-definitions.js';
import { buildSiteRegistry, type SiteRegistry } from './purescript-site-registry.js';
import type { BenchResult } from './types.js';

const FULL_TARGET_MS = 10_000;
const REBUILD_TARGET_MS = 1_000;
/** The package that gets a new version: the one most others depend on, so its page lists the most dependents. */
const PUBLISHED = 'prelude';

interface Timed {
  ms: number;
  report: SiteReport;
  /** Milliseconds from the start to each line the builder logged, and to the end. */
  phases: string;
}

/** Open the registry and build its site, as `granary site build` does. */
async function timedBuild(registry: SiteRegistry, work: string, outDir: string, cacheDir: string): Promise<Timed> {
  const marks: string[] = [];
  const start = performance.now();
  const mark = (what: string) => marks.push(`${what} ${(performance.now() - start).toFixed(0)}`);
  const opened = await openRegistry(registry.indexDir, { cwd: work, trustKey: registry.publicKey, cacheDir });
  mark('opened');
  const report = await buildSite(opened, {
    outDir,
    cacheDir,
    cwd: work,
    log: (line) => mark(line.startsWith('read ') && line.includes('tarball') ? 'tarballs read' : 'model read'),
  });
  const ms = performance.now() - start;
  mark('written');
  return { ms, report, phases: `ms from start: ${marks.join(', ')}` };
}

/** Read every file of `from` back (what any comparison does), then write `paths` into a new directory with plain fs.writeFile. */
async function floor(from: string, paths: readonly string[], work: string, readAll: boolean): Promise<number> {
  const all = readAll ? await siteFiles(from) : [];
  const files = await Promise.all(paths.map(async (p) => [p, await readFile(join(from, p))] as const));
  const dir = await mkdtemp(join(work, 'floor-'));
  const start = performance.now();
  for (let i = 0; i < all.length; i += 16) await Promise.all(all.slice(i, i + 16).map((p) => readFile(join(from, p))));
  const made = new Set<string>();
  for (const [path, bytes] of files) {
    const target = join(dir, path);
    if (!made.has(dirname(target))) {
      await mkdir(dirname(target), { recursive: true });
      made.add(dirname(target));
    }
    await writeFile(target, bytes);
  }
  const ms = performance.now() - start;
  await rm(dir, { recursive: true, force: true });
  return ms;
}

async function siteFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await siteFiles(dir, path)));
    else out.push(path);
  }
  return out;
}

/** The benchmark entry point: figures, floors and ratios. */
export async function run(): Promise<BenchResult[]> {
  const dataDir = purescriptDataDir();
  if (!hasPurescriptData(dataDir))
    return skippedWithoutData('site build of the converted PureScript registry', 'ms', dataDir);
  const work = await mkdtemp(join(tmpdir(), 'granary-bench-site-'));
  try {
    const registry = await buildSiteRegistry(join(work, 'registry'), dataDir);
    const outDir = join(work, 'site');
    const cacheDir = join(work, 'cache');

    const full = await timedBuild(registry, work, outDir, cacheDir);
    const built = await siteFiles(outDir);
    const fullFloor = await floor(outDir, built, work, false);
    const bytes = (await Promise.all(built.map((p) => readFile(join(outDir, p))))).reduce((n, b) => n + b.length, 0);

    const version = await registry.publish(PUBLISHED, new Date().toISOString());
    const rebuild = await timedBuild(registry, work, outDir, cacheDir);
    const rebuildFloor = await floor(outDir, rebuild.report.changes.written, work, true);
    const page = `package/${PUBLISHED}.html`;
    if (
      !rebuild.report.changes.written.includes(page) ||
      !(await readFile(join(outDir, page), 'utf8')).includes(version)
    )
      throw new Error(`the rebuild did not show ${PUBLISHED}@${version} on ${page}`);

    const r = full.report;
    return [
      {
        name: `site build, converted PureScript registry (${r.packages} packages, ${r.versions} versions; ${r.pages} pages, ${r.files} files, ${(bytes / 1024 / 1024).toFixed(1)} MB)`,
        value: full.ms,
        unit: 'ms',
        floor: fullFloor,
        ratio: full.ms / fullFloor,
        target: `≤ ${FULL_TARGET_MS} ms`,
        ok: full.ms <= FULL_TARGET_MS,
        note: `empty cache: ${registry.tarballs} tarballs (the shown version of each package, packed by the real packer with a generated README) read from disk, verified and read in memory; ${r.problems.length} unreadable; ${full.phases}; floor = fs.writeFile of the same ${r.files} files`,
      },
      {
        name: `incremental rebuild after publishing ${PUBLISHED}@${version}`,
        value: rebuild.ms,
        unit: 'ms',
        floor: rebuildFloor,
        ratio: rebuild.ms / rebuildFloor,
        target: `≤ ${REBUILD_TARGET_MS} ms`,
        ok: rebuild.ms <= REBUILD_TARGET_MS,
        note: `${rebuild.report.written} files written (${rebuild.report.changes.written.join(', ')}), ${rebuild.report.unchanged} unchanged, ${rebuild.report.removed} removed; ${rebuild.phases}; floor = reading the ${r.files} files back + fs.writeFile of the written ones`,
      },
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) console.log(r);
}
