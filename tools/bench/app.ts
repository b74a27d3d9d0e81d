/**
 * What one `pull_request` event costs the app in GitHub API requests, on a registry the size of the
 * real PureScript one: the imported registry is served by a loopback GitHub (github-repository.ts),
 * a pull request adds the next version of `halogen` (40 dependencies, a deep graph), and the real app
 * (Probot, the app's own Octokit, the gate) receives a signed delivery of the event. The floor is the
 * same event on a registry holding only the packages its dependency graph can reach.
 * `GRANARY_BENCH_LOG=info` shows the app's own log.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile, mkdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Probot } from 'probot';
import { createApp } from '../../curator/app/app.js';
import { appOctokit } from '../../curator/app/app-octokit.js';
import { validateChange } from '../../curator/validate/index.js';
import { runGit } from '../../core/git/run.js';
import { createRegistry } from '../../curator/init/create-registry.js';
import { loadYaml } from '../../core/yaml.js';
import {
  buildPurescriptRegistry,
  hasPurescriptData,
  purescriptDataDir,
  skippedWithoutData,
} from './purescript-definitions.js';
import { serveGitHubRepository } from './github-repository.js';
import type { BenchResult } from './types.js';

const TARGET = 20;
const OWNER = 'purescript';
const REPO = 'registry';
const AUTHOR = 'purescript-halogen';
const IDENTITY = ['-c', 'user.name=granary bench', '-c', 'user.email=bench@localhost.invalid'];

const git = async (dir: string, args: string[]) => (await runGit(dir, args)).stdout.toString('utf8').trim();

/** A branch `submit` adding halogen's next version to the registry at `dir`; returns base and head. */
async function openPullRequest(dir: string): Promise<{ base: string; head: string }> {
  const base = await git(dir, ['rev-parse', 'HEAD']);
  const text = await readFile(join(dir, 'packages/halogen/7.0.0.yaml'), 'utf8');
  await git(dir, ['checkout', '-q', '-b', 'submit']);
  const path = join(dir, 'packages/halogen/7.0.1.yaml');
  await writeFile(path, text.replace('version: 7.0.0', 'version: 7.0.1').replace('ref: v7.0.0', 'ref: v7.0.1'));
  await git(dir, ['add', '--', 'packages/halogen/7.0.1.yaml']);
  await git(dir, [...IDENTITY, 'commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'halogen 7.0.1']);
  return { base, head: await git(dir, ['rev-parse', 'HEAD']) };
}

/** Deliver one signed `pull_request.opened` for the pull request to the app; returns the API requests made. */
async function oneEvent(dir: string, pr: { base: string; head: string }) {
  const github = await serveGitHubRepository(dir, OWNER, REPO);
  try {
    github.pulls.set(7, { number: 7, baseSha: pr.base, headSha: pr.head });
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const probot = new Probot({
      appId: 1,
      privateKey,
      secret: 'bench',
      baseUrl: github.url,
      logLevel: (process.env.GRANARY_BENCH_LOG as 'info') ?? 'fatal',
      Octokit: appOctokit(),
    });
    const unused = () => {
      throw new Error('not used by pull request checks');
    };
    await probot.load(
      createApp({
        validateChange,
        curate: unused,
        checkout: { clone: unused, pushIndex: unused, release: unused },
        stores: unused,
      }),
    );
    await probot.receive({
      id: 'bench-1',
      name: 'pull_request',
      payload: {
        action: 'opened',
        number: 7,
        installation: { id: 1 },
        repository: { name: REPO, owner: { login: OWNER }, full_name: `${OWNER}/${REPO}` },
        pull_request: {
          number: 7,
          state: 'open',
          head: { sha: pr.head },
          base: { sha: pr.base, ref: 'main' },
          user: { login: AUTHOR },
          author_association: 'CONTRIBUTOR',
        },
        sender: { login: AUTHOR },
      } as never,
    });
    const verdict = github.checkRuns.map((c) => `${c.name} ${c.conclusion ?? 'pending'}: ${c.output?.title ?? ''}`);
    if (!verdict.some((v) => v.startsWith('granary/validate success')))
      throw new Error(
        `the pull request was not checked as expected: ${github.checkRuns[0]?.output?.summary?.slice(0, 600)} ${verdict.join('; ') || 'no check run'}`,
      );
    return { requests: [...github.requests], downloads: github.downloads.length };
  } finally {
    await github.close();
  }
}

/** A registry holding halogen and every package its dependency graph can reach (all their versions). */
async function smallRegistry(from: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'granary-bench-'));
  const dir = join(parent, 'registry');
  await createRegistry(dir, { name: 'purescript' });
  const seen = new Set<string>(['halogen']);
  const queue = ['halogen'];
  const paths: string[] = [];
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const path of (await git(from, ['ls-tree', '--name-only', 'HEAD', `packages/${name}/`])).split('\n')) {
      if (path === '') continue;
      paths.push(path);
      const definition = loadYaml(await readFile(join(from, path), 'utf8')).value as { dependencies?: object };
      for (const dependency of Object.keys(definition.dependencies ?? {}))
        if (!seen.has(dependency)) {
          seen.add(dependency);
          queue.push(dependency);
        }
    }
  }
  for (const path of paths) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), await readFile(join(from, path)));
  }
  await git(dir, ['add', '-A', '--', 'packages']);
  await git(dir, [...IDENTITY, 'commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'Import']);
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

export async function run(): Promise<BenchResult[]> {
  const dataDir = purescriptDataDir();
  if (!hasPurescriptData(dataDir)) {
    return skippedWithoutData('API requests for one pull_request event', 'requests', dataDir);
  }
  const registry = await buildPurescriptRegistry(dataDir);
  const small = await smallRegistry(registry.dir);
  try {
    const floor = await oneEvent(small.dir, await openPullRequest(small.dir));
    const full = await oneEvent(registry.dir, await openPullRequest(registry.dir));
    const kinds = new Map<string, number>();
    for (const r of full.requests) {
      const kind = r.replace(/[0-9a-f]{40}/g, 'SHA').replace(/\/\d+\//g, '/N/');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const breakdown = [...kinds.entries()].map(([k, n]) => `${n}× ${k}`).join(', ');
    return [
      {
        name: `API requests for one pull_request event (${registry.definitions} definitions)`,
        value: full.requests.length,
        unit: 'requests',
        floor: floor.requests.length,
        ratio: full.requests.length / floor.requests.length,
        target: `<= ${TARGET} requests`,
        ok: full.requests.length <= TARGET,
        note: `${breakdown}; ${full.downloads} archive download(s) redirected off the API`,
      },
    ];
  } finally {
    if (!process.env.GRANARY_BENCH_KEEP) await small.remove();
    await registry.remove();
  }
}
