/**
 * Packing throughput against the floor `git archive --format=tar <commit> | gzip -n -9 | sha256sum`
 * on the same synthetic source repositories (small, median, large). The measured step is packing an
 * already-fetched local repository (list the tree, read the blobs, tar, gzip -9, SHA-256 and the
 * content hash), which is what the floor does too; fetching is reported separately, without a target.
 */
import { seededRandom } from '../ranges/range-samples.js';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { registryConfigFrom } from '../../core/registry-config.js';
import { packSource, packVersion } from '../../curator/pack/pack.js';
import { openLocalSource } from '../../curator/source/fetch-source.js';
import type { PackageDefinition } from '../../schema/types.js';
import type { BenchResult } from './types.js';

const exec = promisify(execFile);
const TARGET_RATIO = 1.3;

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

interface Size {
  name: string;
  files: number;
  bytes: number;
  runs: number;
}

const SIZES: Size[] = [
  { name: 'small', files: 10, bytes: 20 * 1024, runs: 15 },
  { name: 'median', files: 200, bytes: 1024 * 1024, runs: 7 },
  { name: 'large', files: 3000, bytes: 30 * 1024 * 1024, runs: 3 },
];

const WORDS =
  'module import export where let in case of data type class instance forall if then else do return pure map filter fold traverse sequence Maybe Either Just Nothing Left Right Array String Int Number Boolean Effect Aff unit void show eq compare append bind apply lift record field value result error index length head tail cons snoc foldl foldr zip unzip'.split(
    ' ',
  );

/** Source-like text: indented lines of identifiers, operators and comments, compressing like real code (about 4-6x). */
function sourceText(random: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const indent = '  '.repeat(Math.floor(random() * 4));
    const n = 3 + Math.floor(random() * 9);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const w = WORDS[Math.floor(random() * WORDS.length)]!;
      parts.push(random() < 0.15 ? `${w}${Math.floor(random() * 1000)}` : w);
      if (random() < 0.2)
        parts.push(['=', '->', '<-', '::', '<>', '$', '>>=', '(', ')', ','][Math.floor(random() * 10)]!);
    }
    const line = random() < 0.08 ? `${indent}-- ${parts.join(' ')}` : `${indent}${parts.join(' ')}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

async function syntheticRepo(root: string, size: Size): Promise<{ dir: string; commit: string }> {
  const dir = join(root, size.name);
  await mkdir(dir, { recursive: true });
  // A deterministic generator, so every run measures the same sources.
  const random = seededRandom(size.files);
  const per = Math.floor(size.bytes / size.files);
  for (let i = 0; i < size.files; i++) {
    const path = join(dir, 'src', `group${i % 17}`, `part${Math.floor(i / 17) % 11}`, `Module${i}.purs`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, sourceText(random, Math.floor(per * (0.5 + random()))));
  }
  await writeFile(join(dir, 'README.md'), sourceText(random, 2000));
  const git = (...args: string[]) => exec('git', args, { cwd: dir, env: GIT_ENV, maxBuffer: 1 << 26 });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'synthetic');
  await git('tag', 'v1.0.0');
  const { stdout } = await git('rev-parse', 'HEAD');
  return { dir, commit: stdout.trim() };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), 'granary-bench-pack-'));
  const registry = registryConfigFrom({
    name: 'bench',
    sources: { schemes: ['https', 'file'], hosts: ['github.com'] },
    limits: { maxTarballBytes: 200 * 1024 * 1024, maxFetchBytes: 1024 * 1024 * 1024 },
  });
  const results: BenchResult[] = [];
  try {
    for (const size of SIZES) {
      const repo = await syntheticRepo(root, size);
      const definition: PackageDefinition = {
        name: `bench-${size.name}`,
        version: '1.0.0',
        license: 'MIT',
        location: { git: `file://${repo.dir}` },
        ref: 'v1.0.0',
      };
      const floors: number[] = [];
      const packs: number[] = [];
      let tarball = 0;
      // Alternate floor and pack so both see the same machine load; the first round warms caches and is discarded.
      for (let i = 0; i <= size.runs; i++) {
        const floor = await timed(() =>
          exec('bash', ['-c', `set -o pipefail; git archive --format=tar ${repo.commit} | gzip -n -9 | sha256sum`], {
            cwd: repo.dir,
            env: GIT_ENV,
          }),
        );
        const pack = await timed(async () => {
          const source = await openLocalSource(repo.dir, repo.commit, { registry });
          try {
            tarball = (await packSource(definition, source, { registry })).size;
          } finally {
            await source.dispose();
          }
        });
        if (i > 0) {
          floors.push(floor);
          packs.push(pack);
        }
      }
      const fetches: number[] = [];
      for (let i = 0; i < Math.min(3, size.runs); i++)
        fetches.push(await timed(() => packVersion(definition, { registry, tmpDir: root })));
      const fetchAndPack = median(fetches);
      const value = median(packs);
      const floor = median(floors);
      const ratio = value / floor;
      results.push({
        name: `pack-${size.name} (${size.files} files, ${Math.round(size.bytes / 1024)} KB)`,
        value,
        unit: 'ms',
        floor,
        ratio,
        target: `ratio <= ${TARGET_RATIO}`,
        ok: ratio <= TARGET_RATIO,
        note: `median of ${size.runs}; pack step on a fetched repo vs git archive | gzip -n -9 | sha256sum; tarball ${Math.round(tarball / 1024)} KB; fetch+pack ${fetchAndPack.toFixed(0)} ms`,
      });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) {
    console.log(
      `${r.name}: ${r.value.toFixed(1)} ms  floor ${r.floor!.toFixed(1)} ms  ratio ${r.ratio!.toFixed(2)}x  ${r.ok ? 'ok' : 'MISSED'}  (${r.note})`,
    );
  }
}
