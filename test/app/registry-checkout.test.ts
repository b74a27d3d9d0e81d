// The app's checkout against a real bare repository standing in for GitHub: clone with the index branch, fast-forward-only push, no token on disk.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../core/errors.js';
import { createGitCheckout } from '../../curator/app/registry-checkout.js';
import { createRepo, gitIn } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

async function remoteWithIndex() {
  const repo = await createRepo();
  await repo.write('registry.yaml', 'name: t\n');
  await repo.commit('main');
  await repo.git('checkout', '-q', '--orphan', 'index');
  await repo.git('rm', '-q', '-rf', '.');
  await repo.write('snapshot.json', '{}\n');
  await repo.commit('index 1');
  await repo.git('checkout', '-q', 'main');
  const remote = join(await tempDir('granary-remote-'), 'r.git');
  await gitIn(repo.dir, 'clone', '-q', '--bare', repo.dir, remote);
  return remote;
}

describe('createGitCheckout', () => {
  it('clones with a local index branch, pushes fast-forward only, and keeps the token off disk', async () => {
    const remote = await remoteWithIndex();
    const checkout = createGitCheckout({ remoteUrl: () => remote });
    const token = 'ghs_secret_token_value';
    const dir = await checkout.clone('o', 'r', token);
    expect(await gitIn(dir, 'rev-parse', 'refs/heads/index')).toBe(
      await gitIn(remote, 'rev-parse', 'refs/heads/index'),
    );
    expect(await readFile(join(dir, '.git/config'), 'utf8')).not.toContain(token);

    // A new index commit on top: pushed.
    const tree = await gitIn(dir, 'rev-parse', 'index^{tree}');
    const next = await gitIn(dir, 'commit-tree', tree, '-p', 'index', '-m', 'index 2');
    await gitIn(dir, 'update-ref', 'refs/heads/index', next);
    await checkout.pushIndex(dir, 'index');
    expect(await gitIn(remote, 'rev-parse', 'refs/heads/index')).toBe(next);

    // Someone else moves the remote index; our diverging commit is refused, not forced.
    const other = await checkout.clone('o', 'r', token);
    const theirs = await gitIn(other, 'commit-tree', tree, '-p', 'index', '-m', 'theirs');
    await gitIn(other, 'update-ref', 'refs/heads/index', theirs);
    await checkout.pushIndex(other, 'index');
    const ours = await gitIn(dir, 'commit-tree', tree, '-p', 'index', '-m', 'ours');
    await gitIn(dir, 'update-ref', 'refs/heads/index', ours);
    await expect(checkout.pushIndex(dir, 'index')).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await gitIn(remote, 'rev-parse', 'refs/heads/index')).toBe(theirs);

    await checkout.release(dir);
    await checkout.release(other);
  });

  it('reports a clone failure without the token in the message', async () => {
    const checkout = createGitCheckout({ remoteUrl: () => '/nonexistent/repo.git' });
    const error = await checkout.clone('o', 'r', 'ghs_do_not_show').catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^could not clone o\/r: /);
    expect(JSON.stringify(error)).not.toContain('ghs_do_not_show');
  });
});
