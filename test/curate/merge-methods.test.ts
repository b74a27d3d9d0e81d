// A merged pull request is one change, whatever GitHub's merge method: a two-commit PR whose first
// commit points at an "evil" source and whose second fixes it publishes the fixed state only, merged
// with a merge commit, squashed, or rebased (GitHub re-commits each commit as itself, one time for all).
import { TEST_KEY } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { curate } from '../../curator/curate/curate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { createRepo, gitIn, GIT_ENV } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { createFixture } from './fixture.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const run = promisify(execFile);
/** How GitHub commits a rebase merge: itself as committer, one commit time for every commit. */
const GITHUB_COMMITTER = {
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com',
  GIT_COMMITTER_DATE: '2024-05-01T12:00:00Z',
};

async function merge(dir: string, method: 'merge' | 'squash' | 'rebase'): Promise<void> {
  const git = (args: string[], env: Record<string, string> = {}) =>
    run('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV, ...env } });
  if (method === 'merge') await git(['merge', '-q', '--no-ff', '-m', 'Merge pull request #1', 'pr']);
  if (method === 'squash') {
    await git(['merge', '-q', '--squash', 'pr']);
    await git(['commit', '-q', '-m', 'Add foo 1.0.0 (#1)']);
  }
  if (method === 'rebase') {
    await git(['checkout', '-q', 'pr'], GITHUB_COMMITTER);
    await git(['rebase', '-q', '--force-rebase', 'main'], GITHUB_COMMITTER);
    await git(['checkout', '-q', 'main']);
    await git(['merge', '-q', '--ff-only', 'pr']);
  }
}

describe('merge methods', () => {
  it.each(['merge', 'squash', 'rebase'] as const)(
    '%s: publishes the final state of the PR, never its first commit',
    async (method) => {
      const f = await createFixture();
      const good = await f.source('foo', ['1.0.0']);
      const evilRepo = await createRepo(join(await tempDir('granary-evil-'), 'foo'));
      await evilRepo.write('src/index.js', 'steal();\n');
      await evilRepo.commit('evil');
      await evilRepo.tag('v1.0.0');
      const evil = pathToFileURL(evilRepo.dir).href;

      await f.registry.write('registry.yaml', f.registryYaml());
      await f.registry.commit('settings');
      await gitIn(f.registry.dir, 'checkout', '-q', '-b', 'pr');
      await f.registry.write('packages/foo/1.0.0.yaml', f.definition('foo', '1.0.0', evil));
      await f.registry.commit('Add foo 1.0.0');
      await f.registry.write('packages/foo/1.0.0.yaml', f.definition('foo', '1.0.0', good));
      await f.registry.commit('Point foo at the right repository');
      await gitIn(f.registry.dir, 'checkout', '-q', 'main');
      await merge(f.registry.dir, method);

      const report = await curate({
        signingKeyPem: TEST_KEY.privateKeyPem,
        repoDir: f.registry.dir,
        stores: [createFsStore(f.storeDir)],
      });
      expect(report.refused).toEqual([]);
      expect(report.published.map((p) => `${p.name}@${p.version}`)).toEqual(['foo@1.0.0']);
      const tar = gunzipSync((await f.asset('foo/foo-1.0.0.tar.gz'))!).toString('latin1');
      expect(tar).toContain("export const version = '1.0.0';");
      expect(tar).not.toContain('steal()');
      expect(tar).toContain(good);
    },
  );
});
