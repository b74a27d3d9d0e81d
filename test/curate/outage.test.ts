// A source outage or a git timeout during curate is temporary: the run stops with exit 2 and "retry",
// the index does not move past the merge, and the next run publishes the version with the bytes a clean
// run makes. (A `git` first on PATH plays the outage: it fails or hangs on `fetch` while told to.)
import { signingIo, TEST_KEY } from '../helpers/keys.js';
import { execFileSync } from 'node:child_process';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { exitCodeOf, GranaryError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { curate } from '../../curator/curate/curate.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { createGitHubStore } from '../../curator/stores/github-store.js';
import { OWNER, REPO } from '../app/support/github.js';
import { fakeReleases } from '../app/support/releases-fake.js';
import { registryConfigFrom } from '../../core/registry-config.js';
import { packVersion } from '../../curator/pack/pack.js';
import { createFixture } from './fixture.js';
import { tempDir } from '../helpers/tmp.js';

const savedPath = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = savedPath;
});

/** A `git` that fails (`unreachable`) or hangs (`hang`) on fetch while `<bin>/outage` says so. */
async function flakyGit(): Promise<{ bin: string; outage(kind: 'unreachable' | 'hang' | undefined): Promise<void> }> {
  const real = execFileSync('sh', ['-c', 'command -v git']).toString('utf8').trim();
  const bin = await tempDir('granary-flaky-git-');
  const flag = join(bin, 'outage');
  const script = [
    '#!/bin/sh',
    `if [ -f '${flag}' ]; then for a in "$@"; do if [ "$a" = fetch ]; then`,
    `  if grep -q hang '${flag}'; then exec sleep 30; fi`,
    `  echo "fatal: unable to access 'https://github.com/acme/alpha.git/': Could not resolve host: github.com" >&2; exit 128`,
    'fi; done; fi',
    `exec '${real}' "$@"`,
    '',
  ].join('\n');
  await writeFile(join(bin, 'git'), script);
  await chmod(join(bin, 'git'), 0o755);
  process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
  return {
    bin,
    outage: async (kind) => (kind === undefined ? rm(flag, { force: true }) : writeFile(flag, kind)),
  };
}

/** What a clean run packs for alpha@1.0.0 of the fixture. */
function cleanPack(url: string) {
  return packVersion(
    {
      name: 'alpha',
      version: '1.0.0',
      license: 'MIT',
      description: 'The alpha package',
      location: { git: url },
      ref: 'v1.0.0',
      owners: ['alice'],
    },
    {
      registry: registryConfigFrom({
        name: 'test-registry',
        sources: { schemes: ['https', 'file'], hosts: ['github.com'] },
      }),
    },
  );
}

describe('curate during a source outage', () => {
  it.each(['unreachable', 'hang'] as const)(
    '%s: stops with retry, moves nothing, and publishes on the next run',
    async (kind) => {
      const f = await createFixture();
      const url = await f.source('alpha', ['1.0.0']);
      await f.registry.write(
        'registry.yaml',
        f.registryYaml(`stores: ["fs:${f.storeDir}"]\nlimits:\n  gitTimeoutSeconds: 2`),
      );
      const definition = f.definition('alpha', '1.0.0', url);
      await f.registry.write('packages/alpha/1.0.0.yaml', definition);
      await f.registry.commit('Publish alpha 1.0.0');
      const git = await flakyGit();

      await git.outage(kind);
      const failed = signingIo({ cwd: f.registry.dir });
      const code = await main(['curate', '--repo', f.registry.dir], failed);
      const said = failed.err.join('');
      expect(code, said).toBe(2);
      expect(said).toMatch(/retry: this failure is temporary; nothing was lost, run the same command again/);
      expect(said).toMatch(kind === 'hang' ? /did not finish|timed out|time/i : /Could not resolve host/);
      expect(await f.indexCommits()).toEqual([]);
      expect(await f.asset('alpha/alpha-1.0.0.tar.gz')).toBeUndefined();

      await git.outage(undefined);
      const io = signingIo({ cwd: f.registry.dir });
      expect(await main(['curate', '--repo', f.registry.dir, '--json'], io), io.text()).toBe(0);
      expect(JSON.parse(io.text()).published.map((p: { name: string }) => p.name)).toEqual(['alpha']);
      const clean = await cleanPack(url);
      expect(sha256Hex((await f.asset('alpha/alpha-1.0.0.tar.gz'))!)).toBe(clean.sha256);
    },
    60_000,
  );
});

describe('curate during a release store outage', () => {
  it('GitHub answering 503 to every upload: stops with retry, moves nothing, publishes the same bytes next time', async () => {
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');
    const store = () =>
      createGitHubStore({
        owner: OWNER,
        repo: REPO,
        octokit: createOctokit({ token: 'ghs_test', retries: 2, retryBaseMs: 1 }),
      });

    let outage = true;
    const releases = fakeReleases(() => (outage ? 503 : undefined));
    const failure = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store()],
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GranaryError);
    expect((failure as GranaryError).temporary).toBe(true);
    expect(exitCodeOf(failure as GranaryError)).toBe(2);
    expect(releases.failedUploads).toBe(3);
    expect(await f.indexCommits()).toEqual([]);

    outage = false;
    const report = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store()] });
    expect(report.refused).toEqual([]);
    expect(report.published.map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@1.0.0']);
    const tarball = releases.assets.get('alpha')?.get('alpha-1.0.0.tar.gz');
    const clean = await cleanPack(url);
    expect(sha256Hex(tarball!)).toBe(clean.sha256);
    expect(report.published[0]!.sha256).toBe(clean.sha256);
    expect(await f.indexCommits()).toHaveLength(1);
  });
});
