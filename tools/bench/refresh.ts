/**
 * Refresh cost of the TUF index, in requests and bytes (not times), on synthetic registries of 1k, 10k,
 * 100k and 200k packages served over a loopback HTTP server that counts every response (status line,
 * headers and body, per socket) by kind: metadata (roots, timestamp, snapshot, targets.json), bins,
 * targets (package files, config.json). The client is the real one: openRegistry with a cache
 * directory and the key pinned, as `granary resolve --cache DIR --trust-key KEY` runs it.
 *
 * 1. no change: a client that has read the registry opens it again and reads the same packages;
 * 2. k changed (k = 1, 10): a new version of k packages is published as the next generation, the
 *    client opens the registry again and reads those packages' lines. "The changed files" the byte
 *    target allows on top of 64 KB are the k package files (new bytes) and the bins listing them (new
 *    versions): what no protocol could avoid sending;
 * 3. a cold `resolve` (fresh cache, only the pinned key) of one package with 10 transitive dependencies.
 *
 * The registries are built with the curator's own writer (indexFromLines → writeGeneration): every
 * package 1–4 versions, each depending on 0–5 earlier ones (favouring the oldest, as popular
 * packages are) with caret ranges. `GRANARY_BENCH_REFRESH_SCALES=1000,10000` picks the sizes.
 *
 * `npx tsx tools/bench/refresh.ts`
 */
import { createHash, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexPath } from '../../core/index-path.js';
import { tarballName } from '../../core/names.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { TIMESTAMP_PATH, versionedMetadataPath } from '../../core/tuf-layout.js';
import { openRegistry } from '../../client/registry.js';
import { resolve } from '../../client/resolve/resolve.js';
import { directoryGeneration, indexFromLines } from '../../curator/index/index-from-lines.js';
import { IndexState } from '../../curator/index/index-state.js';
import { firstLine } from '../../curator/index/line-rules.js';
import { binLayout, binOf } from '../../core/tuf/bins.js';
import { writeGeneration } from '../../curator/index/tuf/repository.js';
import type { IndexConfig, IndexLine, PackageDefinition } from '../../schema/types.js';
import type { BenchResult } from './types.js';

const DEFAULT_SCALES = [1_000, 10_000, 100_000, 200_000];
const CHANGES = [1, 10];
const TRANSITIVE = 10;
const METADATA_BUDGET = 64 * 1024;
const NO_CHANGE_BYTES = 1024;
const COLD_RESOLVE_REQUESTS = 20;

/** A deterministic pseudo-random generator, so every run builds the same registry. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface SyntheticPackage {
  name: string;
  /** Versions published: 1.0.0 … 1.(n-1).0. */
  versions: number;
  /** Earlier packages it depends on (the same in every version), by index. */
  deps: number[];
}

/** `count` packages, each depending on 0–5 earlier ones; the oldest are the most depended on. */
function syntheticPackages(count: number): SyntheticPackage[] {
  const rand = prng(count);
  const packages: SyntheticPackage[] = [];
  for (let i = 0; i < count; i++) {
    const h = createHash('sha1').update(String(i)).digest();
    const name = `${String.fromCharCode(97 + (h[0]! % 26), 97 + (h[1]! % 26), 97 + (h[2]! % 26), 97 + (h[3]! % 26))}-${i}`;
    const deps = new Set<number>();
    const wanted = i === 0 ? 0 : Math.min(i, Math.floor(rand() * 6));
    while (deps.size < wanted) deps.add(Math.floor(i * rand() ** 3));
    packages.push({ name, versions: 1 + Math.floor(rand() * 4), deps: [...deps].sort((a, b) => a - b) });
  }
  return packages;
}

/** The packages `i` needs, directly or not. */
function closure(packages: SyntheticPackage[], i: number): Set<number> {
  const seen = new Set<number>();
  const stack = [...packages[i]!.deps];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...packages[d]!.deps);
  }
  return seen;
}

/** The first package from the middle of the registry on with exactly `n` transitive dependencies. */
function packageWithClosure(packages: SyntheticPackage[], n: number): number {
  for (let step = 0; step < packages.length; step++) {
    const i = (Math.floor(packages.length / 2) + step) % packages.length;
    if (closure(packages, i).size === n) return i;
  }
  throw new Error(`no synthetic package has exactly ${n} transitive dependencies`);
}

const BASE_TIME = Date.parse('2024-01-01T00:00:00Z');

/** A published version: its line as curate writes it, and the definition it came from. */
interface Published {
  line: IndexLine;
  definition: PackageDefinition;
}

/** Version `minor` of package `p`, published at `publishedAt`. */
function publish(packages: SyntheticPackage[], p: SyntheticPackage, minor: number, publishedAt: string): Published {
  const version = `1.${minor}.0`;
  const dependencies: Record<string, string> = {};
  for (const d of p.deps) dependencies[packages[d]!.name] = `^1.${Math.min(minor, packages[d]!.versions - 1)}.0`;
  const definition: PackageDefinition = {
    name: p.name,
    version,
    license: 'MIT',
    location: { github: `bench/${p.name}` },
    ref: `v${version}`,
    dependencies,
    description: `Synthetic package ${p.name}`,
    owners: ['bench'],
  };
  const sha256 = createHash('sha256').update(`${p.name}@${version}`).digest('hex');
  const line = firstLine(
    definition,
    undefined,
    {
      sha256,
      integrity: `sha256-${Buffer.from(sha256, 'hex').toString('base64')}`,
      size: 20_000 + (sha256.charCodeAt(0) % 16) * 1000,
      commit: createHash('sha1').update(`${p.name}@${version}`).digest('hex'),
      asset: `${p.name}/${tarballName(p.name, version)}`,
    },
    publishedAt,
  );
  return { line, definition };
}

/** Every version's line in publication order: each round publishes the next version of every package that has one. */
function publicationLines(packages: SyntheticPackage[]): IndexLine[] {
  const lines: IndexLine[] = [];
  let t = 0;
  for (let minor = 0; minor < 4; minor++)
    for (const p of packages)
      if (minor < p.versions)
        lines.push(publish(packages, p, minor, new Date(BASE_TIME + t++ * 1000).toISOString()).line);
  return lines;
}

interface Generation {
  /** Wall-clock of building the generation (model, render, hash, sign) and of writing its files. */
  buildMs: number;
  writeMs: number;
  /** Every file written (path → bytes). */
  files: Map<string, Buffer>;
  /** Target files written, by their plain paths. */
  targets: Map<string, Buffer>;
  targetCount: number;
  snapshotVersion: number;
}

const CONFIG: IndexConfig = { format: 2, name: 'bench', assetBase: 'https://assets.example.test' };

/** The first generation: every line through the curator's full build (indexFromLines), written under `dir`. */
async function firstGeneration(dir: string, lines: IndexLine[], key: KeyObject, at: number): Promise<Generation> {
  const t0 = performance.now();
  const built = await indexFromLines({
    ...CONFIG,
    lines,
    describe: (line) => ({ description: `Synthetic package ${line.name}`, owners: ['bench'] }),
    commit: createHash('sha1').update(String(at)).digest('hex'),
    createdAt: new Date(at).toISOString(),
    signingKey: key,
    now: at,
  });
  const t1 = performance.now();
  await writeFiles(dir, built.files);
  return {
    buildMs: t1 - t0,
    writeMs: performance.now() - t1,
    files: built.files,
    targets: built.targets,
    targetCount: built.info.targets,
    snapshotVersion: built.info.version,
  };
}

/**
 * The next generation of the index in `dir` with `published` added, built as curate builds it: the
 * current generation opened and verified, the new lines put in an IndexState over it, the changed
 * files rendered and written by writeGeneration. (indexFromLines with `previousDir` would re-render
 * and compare every package, reading and verifying every bin: see the note in the report.)
 */
async function nextGeneration(dir: string, published: Published[], key: KeyObject, at: number): Promise<Generation> {
  const t0 = performance.now();
  const previous = await directoryGeneration(dir);
  if (previous === undefined) throw new Error(`no index in ${dir}`);
  const { generation: current, roots } = previous;
  const state = new IndexState(previous.source);
  for (const { line, definition } of published) await state.setLine(line, line.publishedAt, definition);
  const changed = await state.render(CONFIG);
  const written = await writeGeneration({
    current,
    changed,
    roots,
    onlineKey: key,
    commit: createHash('sha1').update(String(at)).digest('hex'),
    createdAt: new Date(at).toISOString(),
    now: at,
  });
  const t1 = performance.now();
  const files = new Map<string, Buffer>();
  for (const [path, bytes] of written.changes)
    if (bytes === null) await rm(join(dir, path), { force: true });
    else files.set(path, bytes);
  await writeFiles(dir, files);
  return {
    buildMs: t1 - t0,
    writeMs: performance.now() - t1,
    files,
    targets: changed,
    targetCount: written.info.targets,
    snapshotVersion: written.info.version,
  };
}

/** Write `files` under `dir`, 64 at a time, each directory made once (what a static host's upload does). */
async function writeFiles(dir: string, files: Map<string, Buffer>): Promise<void> {
  const made = new Set<string>();
  const entries = [...files];
  for (let s = 0; s < entries.length; s += 64) {
    const batch = entries.slice(s, s + 64);
    for (const [path] of batch) {
      const parent = dirname(join(dir, path));
      if (!made.has(parent)) {
        await mkdir(parent, { recursive: true });
        made.add(parent);
      }
    }
    await Promise.all(batch.map(([path, bytes]) => writeFile(join(dir, path), bytes)));
  }
}

type Kind = 'metadata' | 'bins' | 'targets';

interface Tally {
  requests: number;
  /** Response bytes on the wire (status line, headers, body). */
  bytes: number;
  body: number;
  byKind: Record<Kind, { requests: number; bytes: number }>;
  /** Paths requested, in order, with their status. */
  log: string[];
}

function emptyTally(): Tally {
  return {
    requests: 0,
    bytes: 0,
    body: 0,
    byKind: {
      metadata: { requests: 0, bytes: 0 },
      bins: { requests: 0, bytes: 0 },
      targets: { requests: 0, bytes: 0 },
    },
    log: [],
  };
}

function kindOf(path: string): Kind {
  if (/^metadata\/\d+\.bin-[0-9a-f]+\.json$/.test(path)) return 'bins';
  return path.startsWith('metadata/') ? 'metadata' : 'targets';
}

interface CountingServer {
  url: string;
  /** The responses since the last take(), and a fresh tally from now on. */
  take(): Tally;
  close(): Promise<void>;
}

/**
 * A static file server for `root` on 127.0.0.1 at a port the OS picks, with strong ETags and
 * If-None-Match (as GitHub Pages, S3 and CDNs answer), counting every response's bytes on its socket.
 */
async function countingServer(root: string): Promise<CountingServer> {
  let tally = emptyTally();
  const written = new WeakMap<Socket, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/+/, '');
    const socket = req.socket;
    const before = written.get(socket) ?? 0;
    let body = 0;
    res.on('finish', () => {
      const after = socket.bytesWritten;
      written.set(socket, after);
      const t = tally;
      t.requests++;
      t.bytes += after - before;
      t.body += body;
      t.byKind[kindOf(path)].requests++;
      t.byKind[kindOf(path)].bytes += after - before;
      t.log.push(`${res.statusCode} ${path}`);
    });
    if (path.split('/').some((s) => s === '' || s.startsWith('.'))) return void res.writeHead(404).end();
    const file = join(root, ...path.split('/'));
    const bytes = (await stat(file).catch(() => undefined))?.isFile() ? await readFile(file) : undefined;
    if (bytes === undefined) return void res.writeHead(404, { 'content-length': '0' }).end();
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    body = bytes.length;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length),
      'cache-control': 'no-cache',
      etag,
    });
    res.end(bytes);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ready);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take() {
      const t = tally;
      tally = emptyTally();
      return t;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** One measured scenario at one scale. */
interface Row {
  packages: number;
  /** Wall-clock of the client's work (informative; the targets are requests and bytes). */
  ms: number;
  scenario: string;
  tally: Tally;
  target: string;
  ok: boolean;
  note: string;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function split(t: Tally): string {
  const k = t.byKind;
  return `metadata ${k.metadata.requests}/${kb(k.metadata.bytes)}, bins ${k.bins.requests}/${kb(k.bins.bytes)}, targets ${k.targets.requests}/${kb(k.targets.bytes)}`;
}

/** The bytes of `paths`' new package files and of the bins (new versions) that list them: "the changed files". */
function changedFilesBytes(gen: Generation, names: string[]): { files: number; bins: number; binCount: number } {
  const layout = binLayout(gen.targetCount);
  let files = 0;
  const bins = new Set<string>();
  for (const name of names) {
    files += gen.targets.get(indexPath(name))!.length;
    bins.add(binOf(layout, indexPath(name)));
  }
  let binBytes = 0;
  for (const bin of bins) {
    const hit = [...gen.files.keys()].find((p) => p.startsWith('metadata/') && p.endsWith(`.${bin}.json`));
    if (hit === undefined) throw new Error(`generation ${gen.snapshotVersion} did not write ${bin}`);
    binBytes += gen.files.get(hit)!.length;
  }
  return { files, bins: binBytes, binCount: bins.size };
}

/** Sizes of a generation's snapshot and bins, as written. */
function metadataSizes(gen: Generation): { snapshot: number; timestamp: number; targets: number; bins: number[] } {
  const bins: number[] = [];
  for (const [path, bytes] of gen.files) if (kindOf(path) === 'bins') bins.push(bytes.length);
  return {
    snapshot: gen.files.get(versionedMetadataPath('snapshot', gen.snapshotVersion))!.length,
    timestamp: gen.files.get(TIMESTAMP_PATH)!.length,
    targets: gen.files.get(versionedMetadataPath('targets', 1))!.length,
    bins: bins.sort((a, b) => a - b),
  };
}

/** The first generation under `dir`, with progress lines; nothing of it is kept in memory (the next generations read `dir`). */
async function buildFirst(
  dir: string,
  packages: SyntheticPackage[],
  key: KeyObject,
  at: number,
  say: (line: string) => void,
): Promise<void> {
  const t0 = performance.now();
  const lines = publicationLines(packages);
  const t1 = performance.now();
  const first = await firstGeneration(dir, lines, key, at);
  const deps = packages.reduce((n, p) => n + p.deps.length, 0) / packages.length;
  say(
    `${packages.length} packages, ${lines.length} versions, ${deps.toFixed(2)} deps/package: first generation in ${((performance.now() - t0) / 1000).toFixed(1)} s (lines ${(t1 - t0).toFixed(0)} ms, indexFromLines ${first.buildMs.toFixed(0)} ms, writing ${first.files.size} files ${first.writeMs.toFixed(0)} ms)`,
  );
  const sizes = metadataSizes(first);
  say(
    `${packages.length}: timestamp.json ${sizes.timestamp} B, snapshot.json ${kb(sizes.snapshot)}, targets.json ${kb(sizes.targets)}, ${sizes.bins.length} bins of ${kb(sizes.bins[0]!)}–${kb(sizes.bins.at(-1)!)} (median ${kb(sizes.bins[Math.floor(sizes.bins.length / 2)]!)})`,
  );
}

async function measureScale(count: number, work: string, say: (line: string) => void): Promise<Row[]> {
  const started = performance.now();
  const dir = join(work, `index-${count}`);
  await mkdir(dir, { recursive: true });
  const keys = generateKeyPair();
  const key = loadPrivateKey(keys.privateKeyPem);
  const packages = syntheticPackages(count);
  const target = packageWithClosure(packages, TRANSITIVE);
  // Signed now: the client refuses expired metadata.
  let at = Date.now();
  await buildFirst(dir, packages, key, at, say);

  const server = await countingServer(dir);
  const rows: Row[] = [];
  try {
    const registry = `${server.url}/`;
    const cacheDir = join(work, `cache-${count}`);
    const open = (cache: string) => openRegistry(registry, { cwd: work, cacheDir: cache, trustKey: keys.publicKey });
    // The packages that will change: spread over the registry, never the resolve target itself.
    const rand = prng(count + 7);
    const changing: number[] = [];
    while (changing.length < CHANGES.reduce((a, b) => a + b, 0)) {
      const i = Math.floor(rand() * count);
      if (i !== target && !changing.includes(i)) changing.push(i);
    }
    const names = changing.map((i) => packages[i]!.name);

    // A client that has read the registry: opened it and read the lines of the packages that will change.
    let clock = performance.now();
    const warm = await open(cacheDir);
    for (const name of names) await warm.lines(name);
    const coldRead = server.take();
    say(`${count}: warming client read ${names.length} packages: ${coldRead.requests} requests, ${kb(coldRead.bytes)}`);

    // 1. No change.
    clock = performance.now();
    const again = await open(cacheDir);
    for (const name of names) await again.lines(name);
    const same = server.take();
    const sameMs = performance.now() - clock;
    rows.push({
      packages: count,
      ms: sameMs,
      scenario: 'no change',
      tally: same,
      target: `1 req, ≤ ${kb(NO_CHANGE_BYTES)}`,
      ok: same.requests === 1 && same.bytes <= NO_CHANGE_BYTES,
      note: `${split(same)}; ${same.log.join(', ')}`,
    });

    // 2. k packages changed.
    let offset = 0;
    for (const k of CHANGES) {
      const changed = changing.slice(offset, offset + k);
      offset += k;
      at = Math.max(Date.now(), at + 1000);
      const published = changed.map((i) => {
        const p = packages[i]!;
        return publish(packages, p, p.versions++, new Date(at).toISOString());
      });
      const gen = await nextGeneration(dir, published, key, at);
      say(
        `${count}: generation ${gen.snapshotVersion} (${k} changed) built in ${(gen.buildMs / 1000).toFixed(1)} s, ${gen.files.size} files written in ${gen.writeMs.toFixed(0)} ms`,
      );
      const changedNames = changed.map((i) => packages[i]!.name);
      const allowance = changedFilesBytes(gen, changedNames);
      clock = performance.now();
      const reader = await open(cacheDir);
      for (const i of changed) {
        const { name, versions } = packages[i]!;
        if ((await reader.lines(name)).at(-1)?.version !== `1.${versions - 1}.0`)
          throw new Error(`the client did not see the new version of ${name}`);
      }
      const t = server.take();
      const ms = performance.now() - clock;
      const budget = METADATA_BUDGET + allowance.files + allowance.bins;
      rows.push({
        packages: count,
        ms,
        scenario: `${k} changed`,
        tally: t,
        target: `≤ ${k + 3} req, ≤ ${kb(budget)}`,
        ok: t.requests <= k + 3 && t.bytes <= budget,
        note: `${split(t)}; changed files = ${k} package file(s) ${kb(allowance.files)} + ${allowance.binCount} bin(s) ${kb(allowance.bins)}; ${t.log.map((l) => l.replace(/[0-9a-f]{64}\./, '<sha>.')).join(', ')}`,
      });
    }

    // 3. A cold resolve: a fresh cache, only the pinned key.
    clock = performance.now();
    const fresh = await open(join(work, `cold-${count}`));
    const resolution = await resolve(fresh, [{ name: packages[target]!.name, range: '*' }]);
    const cold = server.take();
    const coldMs = performance.now() - clock;
    if (resolution.packages.size !== TRANSITIVE + 1)
      throw new Error(`the resolution holds ${resolution.packages.size} packages, not ${TRANSITIVE + 1}`);
    const layout = binLayout(count + 2); // every package file, config.json and packages.json
    const binsHit = new Set(
      [...[...resolution.packages.keys()].map(indexPath), 'config.json'].map((path) => binOf(layout, path)),
    );
    rows.push({
      packages: count,
      ms: coldMs,
      scenario: `cold resolve (1+${TRANSITIVE})`,
      tally: cold,
      target: `≤ ${COLD_RESOLVE_REQUESTS} req`,
      ok: cold.requests <= COLD_RESOLVE_REQUESTS,
      note: `${split(cold)}; ${resolution.packages.size} package files + config.json in ${binsHit.size} distinct bins; ${cold.log.map((l) => l.replace(/[0-9a-f]{64}\./, '<sha>.')).join(', ')}`,
    });
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  say(`${count}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return rows;
}

function table(rows: Row[]): string {
  const header = [
    'packages',
    'scenario',
    'requests',
    'bytes',
    'metadata',
    'bins',
    'targets',
    'target',
    'verdict',
    'client ms',
  ];
  const body = rows.map((r) => {
    const k = r.tally.byKind;
    return [
      String(r.packages),
      r.scenario,
      String(r.tally.requests),
      kb(r.tally.bytes),
      `${k.metadata.requests} / ${kb(k.metadata.bytes)}`,
      `${k.bins.requests} / ${kb(k.bins.bytes)}`,
      `${k.targets.requests} / ${kb(k.targets.bytes)}`,
      r.target,
      r.ok ? 'ok' : 'MISSED',
      r.ms.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

/** The benchmark entry point: one row per registry size and scenario. */
export async function run(): Promise<BenchResult[]> {
  const scales = (process.env.GRANARY_BENCH_REFRESH_SCALES ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const work = await mkdtemp(join(tmpdir(), 'granary-bench-refresh-'));
  const say = (line: string) => console.log(`  … ${line}`);
  const rows: Row[] = [];
  const started = performance.now();
  try {
    for (const count of scales.length > 0 ? scales : DEFAULT_SCALES)
      rows.push(...(await measureScale(count, work, say)));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(
    `\n${table(rows)}\n  (bytes: responses on the wire, headers included; total run ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
  );
  return rows.map((r) => ({
    name: `${r.scenario}, ${r.packages} packages`,
    value: r.tally.requests,
    unit: 'requests',
    target: r.target,
    ok: r.ok,
    note: `${kb(r.tally.bytes)} in ${r.ms.toFixed(0)} ms (${kb(r.tally.body)} bodies); ${r.note}`,
  }));
}

if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run())
    console.log(`${r.name}: ${r.value} ${r.unit}  target ${r.target}  ${r.ok ? 'ok' : 'MISSED'}  (${r.note})`);
}
