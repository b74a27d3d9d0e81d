/**
 * Index benchmarks: a full index build for the real PureScript registry and for a synthetic
 * 100,000-version registry, and an incremental `curate` of one new version in the latter.
 * Floors, measured in the same run: writing the same bytes with plain `fs.writeFile` and hashing
 * them into git with one `git hash-object -w --stdin-paths` (what any index writer must do at least).
 *
 * `npx tsx tools/bench/index.ts`
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { hexFromIntegrity, integrityFromHex } from '../../core/hash.js';
import { tarballName } from '../../core/names.js';
import { generateKeyPair, loadPrivateKey } from '../../core/signing.js';
import { nameError } from '../../core/names.js';
import { versionError } from '../../core/versions.js';
import type { IndexLine, PackageDefinition } from '../../schema/types.js';
import { fixedRecords } from '../../curator/curate/merge-gate.js';
import { curate } from '../../curator/curate/curate.js';
import { Git } from '../../curator/git/repository.js';
import { commitIndex } from '../../curator/index/index-branch.js';
import { EMPTY_SOURCE, IndexState } from '../../curator/index/index-state.js';
import { rootBytes, singleKeyRoot } from '../../curator/index/tuf/root.js';
import { writeGeneration } from '../../curator/index/tuf/repository.js';
import { packVersion } from '../../curator/pack/pack.js';
import { parseRegistryConfig } from '../../core/registry-config.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import type { BenchResult } from './types.js';
import { PURESCRIPT_DATA } from './shared-data.js';

const run$ = promisify(execFile);
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** One published version as the index builder sees it: its line and the definition it came from. */
interface Entry {
  line: IndexLine;
  definition: PackageDefinition;
}

async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run$('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout.trim();
}

function fakeCommit(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The PureScript registry's manifest lines plus metadata hashes, as index entries (publication order). */
async function purescriptEntries(): Promise<Entry[]> {
  const entries: Entry[] = [];
  const walk = async (dir: string): Promise<string[]> =>
    (
      await Promise.all(
        (await readdir(dir, { withFileTypes: true })).map((e) =>
          e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
        ),
      )
    ).flat();
  for (const file of await walk(join(PURESCRIPT_DATA, 'index'))) {
    const rows = (await readFile(file, 'utf8')).split('\n').filter((r) => r.trim() !== '');
    const first = JSON.parse(rows[0]!) as { name: string };
    const metaFile = join(PURESCRIPT_DATA, 'metadata', `${first.name}.json`);
    const meta = existsSync(metaFile)
      ? (JSON.parse(await readFile(metaFile, 'utf8')) as {
          published?: Record<string, { bytes: number; hash: string; publishedTime: string }>;
        })
      : {};
    for (const row of rows) {
      const m = JSON.parse(row) as {
        name: string;
        version: string;
        license: string;
        description?: string;
        ref: string;
        dependencies?: Record<string, string>;
        location?: { githubOwner?: string; githubRepo?: string };
      };
      const published = meta.published?.[m.version];
      const hex = published ? hexFromIntegrity(published.hash) : undefined;
      if (!published || !hex || nameError(m.name) || versionError(m.version)) continue;
      const definition: PackageDefinition = {
        name: m.name,
        version: m.version,
        license: m.license,
        location: { github: `${m.location?.githubOwner ?? 'purescript'}/${m.location?.githubRepo ?? m.name}` },
        ref: m.ref,
        dependencies: m.dependencies ?? {},
        ...(m.description ? { description: m.description } : {}),
        ...(m.location?.githubOwner ? { owners: [m.location.githubOwner.replace(/[^A-Za-z0-9-]/g, '')] } : {}),
      };
      const line: IndexLine = {
        name: m.name,
        version: m.version,
        dependencies: m.dependencies ?? {},
        license: m.license,
        sha256: hex,
        integrity: integrityFromHex(hex),
        size: published.bytes,
        asset: `${m.name}/${tarballName(m.name, m.version)}`,
        commit: fakeCommit(`${m.name}@${m.version}`),
        ref: m.ref,
        publishedAt: published.publishedTime,
        revision: 1,
      };
      entries.push({ line, definition });
    }
  }
  return entries.sort((a, b) =>
    a.line.publishedAt < b.line.publishedAt ? -1 : a.line.publishedAt > b.line.publishedAt ? 1 : 0,
  );
}

/** `packages` names spread over the shard directories, `versions` each, every version depending on up to 3 earlier packages. */
function syntheticEntries(packages: number, versions: number): Entry[] {
  const names: string[] = [];
  for (let i = 0; i < packages; i++) {
    const h = createHash('sha1').update(String(i)).digest();
    names.push(
      `${String.fromCharCode(97 + (h[0]! % 26), 97 + (h[1]! % 26), 97 + (h[2]! % 26), 97 + (h[3]! % 26))}-${i}`,
    );
  }
  const entries: Entry[] = [];
  const base = Date.parse('2024-01-01T00:00:00Z');
  for (let v = 0; v < versions; v++) {
    for (let i = 0; i < packages; i++) {
      const name = names[i]!;
      const version = `1.${v}.0`;
      const dependencies: Record<string, string> = {};
      for (let d = 1; d <= 3 && i - d * 7 >= 0; d++) dependencies[names[i - d * 7]!] = `^1.${v % 3}.0`;
      const definition: PackageDefinition = {
        name,
        version,
        license: 'MIT',
        location: { github: `bench/${name}` },
        ref: `v${version}`,
        dependencies,
        description: `Synthetic package ${i}`,
        owners: ['bench'],
      };
      const sha = createHash('sha256').update(`${name}@${version}`).digest('hex');
      entries.push({
        definition,
        line: {
          name,
          version,
          dependencies,
          license: 'MIT',
          sha256: sha,
          integrity: integrityFromHex(sha),
          size: 1000 + i,
          asset: `${name}/${tarballName(name, version)}`,
          commit: fakeCommit(`${name}@${version}`),
          ref: `v${version}`,
          publishedAt: new Date(base + (v * packages + i) * 1000).toISOString(),
          revision: 1,
        },
      });
    }
  }
  return entries;
}

interface FullBuild {
  files: Map<string, Buffer>;
  renderMs: number;
  commitMs: number;
  commit: string;
}

/** The full build: every line through the index model, every file rendered, snapshot signed, one index commit. */
async function fullBuild(
  repo: string,
  entries: Entry[],
  snapshotCommit: string,
  createdAt: string,
  registryName: string,
  privateKeyPem: string,
): Promise<FullBuild> {
  const t0 = performance.now();
  const state = new IndexState(EMPTY_SOURCE);
  for (const e of entries) await state.setLine(e.line, e.line.publishedAt, e.definition);
  const rendered = await state.render({ format: 2, name: registryName, assetBase: 'https://assets.example.test' });
  const key = loadPrivateKey(privateKeyPem);
  const written = await writeGeneration({
    current: undefined,
    changed: rendered,
    roots: [rootBytes(singleKeyRoot(key))],
    onlineKey: key,
    commit: snapshotCommit,
    createdAt,
    now: Date.parse(createdAt),
  });
  const files = new Map<string, Buffer>();
  for (const [path, bytes] of written.changes) if (bytes !== null) files.set(path, bytes);
  const t1 = performance.now();
  const result = await commitIndex(new Git(repo), {
    branch: 'index',
    parent: undefined,
    changes: files,
    message: 'full build',
    date: createdAt,
  });
  const t2 = performance.now();
  return { files, renderMs: t1 - t0, commitMs: t2 - t1, commit: result.commit! };
}

/** Floors: the same bytes written with plain fs.writeFile, then hashed into git by one hash-object. */
async function floors(repo: string, files: Map<string, Buffer>): Promise<{ writeMs: number; hashMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'granary-bench-floor-'));
  try {
    const entries = [...files];
    const t0 = performance.now();
    const paths = entries.map((_, i) => join(dir, `f${i}`));
    for (let s = 0; s < entries.length; s += 64)
      await Promise.all(entries.slice(s, s + 64).map(([, bytes], i) => writeFile(paths[s + i]!, bytes)));
    const t1 = performance.now();
    await new Promise<void>((ok, fail) => {
      const child = spawn('git', ['hash-object', '-w', '--stdin-paths'], {
        cwd: repo,
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`hash-object exited ${code}`))));
      child.stdin.end(`${paths.join('\n')}\n`);
    });
    return { writeMs: t1 - t0, hashMs: performance.now() - t1 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function buildResults(
  label: string,
  versions: number,
  build: FullBuild,
  floor: { writeMs: number; hashMs: number },
): BenchResult[] {
  const total = build.renderMs + build.commitMs;
  const floorMs = floor.writeMs + floor.hashMs;
  return [
    {
      name: `full index build, ${label} (${versions} versions, ${build.files.size} files)`,
      value: total,
      unit: 'ms',
      floor: floorMs,
      ratio: total / floorMs,
      target: '< 10000 ms',
      ok: total < 10_000,
      note: `model+render+sign ${build.renderMs.toFixed(0)} ms, git commit ${build.commitMs.toFixed(0)} ms; floor = writeFile ${floor.writeMs.toFixed(0)} ms + git hash-object ${floor.hashMs.toFixed(0)} ms`,
    },
  ];
}

async function initRepo(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
}

/** main with registry.yaml and every definition, written in one commit through git fast-import. */
async function fastImportMain(dir: string, registryYaml: string, entries: Entry[], when: number): Promise<string> {
  const parts: string[] = [
    `commit refs/heads/main\ncommitter Bench <bench@example.test> ${when} +0000\ndata 12\nPopulate it\n`,
  ];
  const file = (path: string, text: string) =>
    parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  file('registry.yaml', registryYaml);
  for (const { definition: d } of entries) {
    const deps = Object.entries(d.dependencies ?? {})
      .map(([k, v]) => `  ${k}: "${v}"\n`)
      .join('');
    file(
      `packages/${d.name}/${d.version}.yaml`,
      `name: ${d.name}\nversion: "${d.version}"\nlicense: ${d.license}\ndescription: ${d.description}\nlocation:\n  github: bench/${d.name}\nref: ${d.ref}\nowners: [bench]\n${deps ? `dependencies:\n${deps}` : ''}`,
    );
  }
  await new Promise<void>((ok, fail) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`fast-import exited ${code}`))));
    child.stdin.end(parts.join(''));
  });
  return git(dir, 'rev-parse', 'main');
}

/** The benchmark entry point: figures, floors and ratios. */
export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const work = await mkdtemp(join(tmpdir(), 'granary-bench-index-'));
  const keys = generateKeyPair();
  try {
    // 1. the real PureScript registry
    if (!existsSync(join(PURESCRIPT_DATA, 'index'))) {
      results.push({
        name: 'full index build, PureScript registry',
        value: 0,
        unit: 'ms',
        note: `skipped: ${PURESCRIPT_DATA} is absent`,
      });
    } else {
      const entries = await purescriptEntries();
      const repo = join(work, 'purescript');
      await initRepo(repo);
      const build = await fullBuild(
        repo,
        entries,
        fakeCommit('purescript'),
        '2025-01-01T00:00:00.000Z',
        'purescript',
        keys.privateKeyPem,
      );
      results.push(...buildResults('PureScript registry', entries.length, build, await floors(repo, build.files)));
    }

    // 2. a synthetic 100,000-version registry, with main holding every definition
    const entries = syntheticEntries(10_000, 10);
    const repo = join(work, 'synthetic');
    await initRepo(repo);
    const registryYaml = `name: bench\npublicKey: ${keys.publicKey}\nassetBase: https://assets.example.test\nsources:\n  schemes: [https, file]\n`;
    const when = Date.parse('2025-01-01T00:00:00Z') / 1000;
    const mainCommit = await fastImportMain(repo, registryYaml, entries, when);
    const build = await fullBuild(
      repo,
      entries,
      mainCommit,
      new Date(when * 1000).toISOString(),
      'bench',
      keys.privateKeyPem,
    );
    results.push(...buildResults('synthetic', entries.length, build, await floors(repo, build.files)));

    // 3. incremental curate of one new version: a real source repository, the real packer, an fs: store
    const target = entries[4242]!.definition;
    const source = join(work, 'source');
    await initRepo(source);
    await writeFile(join(source, 'README.md'), `# ${target.name}\n`);
    await git(source, 'add', '-A');
    await run$('git', ['commit', '-q', '-m', 'release'], {
      cwd: source,
      env: {
        ...process.env,
        ...GIT_ENV,
        GIT_AUTHOR_DATE: '2025-01-02T00:00:00Z',
        GIT_COMMITTER_DATE: '2025-01-02T00:00:00Z',
      },
    });
    await git(source, 'tag', 'v1.10.0');
    const definitionText = `name: ${target.name}\nversion: "1.10.0"\nlicense: MIT\nlocation:\n  git: ${pathToFileURL(source).href}\nref: v1.10.0\ndependencies:\n  ${entries[4235]!.definition.name}: "^1.0.0"\n`;
    const checkout = join(work, 'synthetic-checkout');
    await git(work, 'clone', '-q', '--no-checkout', repo, checkout);
    await git(checkout, 'branch', '-f', 'index', 'origin/index');
    await new Promise<void>((ok, fail) => {
      const child = spawn('git', ['fast-import', '--quiet'], { cwd: checkout, stdio: ['pipe', 'ignore', 'inherit'] });
      child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`fast-import exited ${code}`))));
      child.stdin.end(
        `commit refs/heads/main\ncommitter Bench <bench@example.test> ${when + 86400} +0000\ndata 12\nPublish one\nfrom ${mainCommit}\nM 100644 inline packages/${target.name}/1.10.0.yaml\ndata ${Buffer.byteLength(definitionText)}\n${definitionText}\n`,
      );
    });
    await git(checkout, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    const storeDir = join(work, 'store');
    const t0 = performance.now();
    const report = await curate({
      repoDir: checkout,
      stores: [createFsStore(storeDir)],
      signingKeyPem: keys.privateKeyPem,
      // The new version moves the package to another repository: a transfer, approved by a trustee in its PR.
      pullRequests: fixedRecords({ author: 'bench', approvers: ['trustee'], trusteeApproved: true }),
    });
    const curateMs = performance.now() - t0;
    if (report.published.length !== 1 || report.indexCommit === undefined)
      throw new Error(`incremental curate did not publish: ${JSON.stringify(report.refused)}`);
    // Floor: packing the same version alone, which any curate must do.
    const registry = parseRegistryConfig(registryYaml);
    const definition = {
      name: target.name,
      version: '1.10.0',
      license: 'MIT',
      location: { git: pathToFileURL(source).href },
      ref: 'v1.10.0',
    };
    const p0 = performance.now();
    await packVersion(definition, { registry, cwd: checkout });
    const packMs = performance.now() - p0;
    results.push({
      name: 'incremental curate of one new version (100,000-version registry)',
      value: curateMs,
      unit: 'ms',
      floor: packMs,
      ratio: curateMs / packMs,
      target: '< 1000 ms',
      ok: curateMs < 1000,
      note: `floor = packing that version alone; index part ≈ ${(curateMs - packMs).toFixed(0)} ms`,
    });
    // Format 2: its package file and packages.json, each at its plain and its hashed name; at least one
    // bin listing them; a snapshot and a timestamp. Up to two more: a second bin, and retired.txt.
    const changed = report.changedFiles ?? 0;
    results.push({
      name: 'index blobs written by that curate',
      value: changed,
      unit: 'files',
      floor: 7,
      ratio: changed / 7,
      target: '≤ 9 (package file and packages.json, plain and hashed; their bins; snapshot; timestamp; retired.txt)',
      ok: changed <= 9,
      note: `of ${build.files.size} index files`,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) {
    const floor = r.floor === undefined ? '' : `  floor ${r.floor.toFixed(1)} ${r.unit}  ratio ${r.ratio?.toFixed(2)}x`;
    console.log(
      `${r.name}: ${r.value.toFixed(1)} ${r.unit}${floor}${r.target ? `  target ${r.target}` : ''}${r.ok === undefined ? '' : r.ok ? '  ok' : '  MISSED'}${r.note ? `  (${r.note})` : ''}`,
    );
  }
}
