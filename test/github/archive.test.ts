// A pull request's base read from one archive of the commit: one API request whatever the registry's size,
// the blob API only for what the archive does not hold, and an archive that lies or fails is never believed.
import { execFileSync } from 'node:child_process';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createApiTree, createBlobSource } from '../../curator/github/api-tree.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { API, CODELOAD, OWNER, REPO, serveArchive, serveGitObjects } from '../app/support/github.js';
import { createRegistry, definition } from '../app/support/registry.js';

const ref = { owner: OWNER, repo: REPO };
const github = () => createOctokit({ token: 't', retryBaseMs: 1, writeIntervalMs: 0 });

/** A registry of `count` packages committed on main. */
async function registryOf(count: number) {
  const { registry } = await createRegistry();
  for (let i = 0; i < count; i++) {
    const name = `pkg-${i}`;
    await registry.write(
      `packages/${name}/1.0.0.yaml`,
      definition({ name, version: '1.0.0', location: `github: someone/${name}` }),
    );
  }
  await registry.write('README.md', '# not a registry file\n');
  const commit = await registry.commit('packages');
  return { registry, commit };
}

/** The tree at `commit`, its files read from the archive of `archive` (default: that commit) first. */
function archivedTree(octokit: ReturnType<typeof github>, commit: string, archive = commit) {
  return createApiTree(octokit, { ...ref, sha: commit, blobs: createBlobSource(octokit, ref, { archive }) });
}

/** Count the requests a scope answers, by kind. */
function counted(scope: nock.Scope): Map<string, number> {
  const counts = new Map<string, number>();
  scope.on('request', (req: { path: string }) => {
    const kind = req.path.replace(/[0-9a-f]{40}/g, 'SHA').replace(/\?.*$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  });
  return counts;
}

describe('createBlobSource with the base archive', () => {
  it('reads every registry file of the commit with one archive request and no blob request', async () => {
    const { registry, commit } = await registryOf(40);
    const scope = nock(API);
    const requests = counted(scope);
    await serveGitObjects(scope, registry.dir, [commit]);
    const tree = archivedTree(github(), commit);

    const entries = await tree.list('packages/');
    expect(entries).toHaveLength(40);
    for (const e of entries) {
      const expected = execFileSync('git', ['show', `${commit}:${e.path}`], { cwd: registry.dir });
      expect(await tree.read(e.path)).toEqual(expected);
    }
    expect(await tree.read('registry.yaml')).toEqual(
      execFileSync('git', ['show', `${commit}:registry.yaml`], { cwd: registry.dir }),
    );
    expect(Object.fromEntries(requests)).toEqual({
      [`/repos/${OWNER}/${REPO}/git/trees/SHA`]: 1,
      [`/repos/${OWNER}/${REPO}/tarball/SHA`]: 1,
    });
    // A file outside the registry's folders is not kept from the archive: it is read on its own.
    expect((await tree.read('README.md'))?.toString()).toBe('# not a registry file\n');
    expect(requests.get(`/repos/${OWNER}/${REPO}/git/blobs/SHA`)).toBe(1);
  });

  it('serves the head of a pull request from the base archive, except the files the pull request changed', async () => {
    const { registry, commit: base } = await registryOf(10);
    await registry.write(
      'packages/pkg-3/1.0.0.yaml',
      definition({ name: 'pkg-3', version: '1.0.0', location: 'github: other/pkg-3' }),
    );
    const head = await registry.commit('edit');
    const scope = nock(API);
    const requests = counted(scope);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const headTree = archivedTree(github(), head, base);
    for (const e of await headTree.list('packages/')) await headTree.read(e.path);
    expect((await headTree.read('packages/pkg-3/1.0.0.yaml'))?.toString()).toContain('github: other/pkg-3');
    expect(requests.get(`/repos/${OWNER}/${REPO}/tarball/SHA`)).toBe(1);
    expect(requests.get(`/repos/${OWNER}/${REPO}/git/blobs/SHA`)).toBe(1);
  });

  it('never believes an archive whose files differ from the tree: those are read through the blob API', async () => {
    const { registry, commit } = await registryOf(3);
    const scope = nock(API);
    const requests = counted(scope);
    await serveGitObjects(scope, registry.dir, [commit], { archives: false });
    // The archive host answers with another commit's files under the same paths.
    await registry.write(
      'packages/pkg-1/1.0.0.yaml',
      'name: pkg-1\nversion: 1.0.0\nlocation:\n  github: attacker/pkg-1\n',
    );
    serveArchive(scope, registry.dir, commit, await registry.commit('not what main holds'));
    const tree = archivedTree(github(), commit);
    const read = (await tree.read('packages/pkg-1/1.0.0.yaml'))?.toString();
    expect(read).toContain('github: someone/pkg-1');
    expect(read).not.toContain('attacker');
    expect(requests.get(`/repos/${OWNER}/${REPO}/git/blobs/SHA`)).toBe(1);
  });

  it('falls back to one blob read per file when the archive cannot be had, and reads the same bytes', async () => {
    const { registry, commit } = await registryOf(3);
    const scope = nock(API);
    const requests = counted(scope);
    await serveGitObjects(scope, registry.dir, [commit], { archives: false });
    scope
      .get(`/repos/${OWNER}/${REPO}/tarball/${commit}`)
      .reply(302, '', { location: `${CODELOAD}/${OWNER}/${REPO}/legacy.tar.gz/${commit}` });
    nock(CODELOAD).get(`/${OWNER}/${REPO}/legacy.tar.gz/${commit}`).replyWithError({ code: 'ECONNRESET' });
    const tree = archivedTree(github(), commit);
    for (const e of await tree.list('packages/')) {
      expect(await tree.read(e.path)).toEqual(
        execFileSync('git', ['show', `${commit}:${e.path}`], { cwd: registry.dir }),
      );
    }
    expect(requests.get(`/repos/${OWNER}/${REPO}/git/blobs/SHA`)).toBe(3);
  });

  it('gives sizes from the listing, so an oversized definition is refused unread, and reads a file of any size', async () => {
    const { registry } = await createRegistry();
    const big = Buffer.alloc(1024 * 1024 + 1, 'a');
    await registry.write('packages/big/1.0.0.yaml', big);
    const commit = await registry.commit('big');
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [commit]);
    const tree = archivedTree(github(), commit);
    expect(await tree.entry('packages/big/1.0.0.yaml')).toEqual({
      path: 'packages/big/1.0.0.yaml',
      kind: 'file',
      size: big.length,
    });
    expect(await tree.read('packages/big/1.0.0.yaml')).toEqual(big);
  });
});
