// The API-backed pieces: check runs in batches of 50 annotations, trees (also truncated ones), PR files, reviews.
import { createRequire } from 'node:module';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../core/errors.js';
import { createApiTree } from '../../curator/github/api-tree.js';
import { annotationsOf, publishCheckRun } from '../../curator/github/check-run.js';
import { changedFilesOf } from '../../curator/github/pr-files.js';
import { approversOf } from '../../curator/github/reviews.js';
import { createOctokit } from '../../curator/github/octokit.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
  name: string;
  examples: Array<Record<string, any>>;
}>;
const checkRunShape = examples.find((e) => e.name === 'check_run')!.examples[0]!['check_run'];
const API = 'https://api.github.com';
const ref = { owner: 'o', repo: 'r' };
const github = () => createOctokit({ token: 't', retryBaseMs: 1, writeIntervalMs: 0 });

describe('publishCheckRun', () => {
  it('sends the first 50 annotations with the check run and the rest in updates of 50', async () => {
    const problems: Problem[] = Array.from({ length: 120 }, (_, i) => ({
      file: `packages/p${i}/1.0.0.yaml`,
      line: i + 1,
      col: 2,
      severity: i % 2 ? 'warning' : 'error',
      rule: 'schema',
      message: `problem ${i}`,
    }));
    const annotations = annotationsOf(problems);
    const bodies: any[] = [];
    const keep = (body: any) => (bodies.push(body), true);
    const scope = nock(API)
      .post('/repos/o/r/check-runs', keep)
      .reply(201, { ...checkRunShape, id: 77 })
      .patch('/repos/o/r/check-runs/77', keep)
      .times(2)
      .reply(200, { ...checkRunShape, id: 77 });
    const id = await publishCheckRun(github(), ref, {
      name: 'granary/validate',
      headSha: 'a'.repeat(40),
      conclusion: 'failure',
      title: 't',
      summary: 's',
      annotations,
    });
    scope.done();
    expect(id).toBe(77);
    expect(bodies.map((b) => b.output.annotations.length)).toEqual([50, 50, 20]);
    expect(bodies[0]).toEqual({
      name: 'granary/validate',
      head_sha: 'a'.repeat(40),
      status: 'completed',
      conclusion: 'failure',
      output: { title: 't', summary: 's', annotations: annotations.slice(0, 50) },
    });
    expect(bodies[2]).toEqual({ output: { title: 't', summary: 's', annotations: annotations.slice(100) } });
    expect(bodies[0].output.annotations[1]).toEqual({
      path: 'packages/p1/1.0.0.yaml',
      start_line: 2,
      end_line: 2,
      start_column: 2,
      end_column: 2,
      annotation_level: 'warning',
      message: 'problem 1',
      title: 'schema',
    });
  });

  it('keeps problems without a file out of the annotations', () => {
    expect(annotationsOf([{ file: '', line: 1, col: 1, severity: 'error', rule: 'x', message: 'm' }])).toEqual([]);
  });
});

describe('createApiTree', () => {
  it('walks a truncated tree level by level, and reads blobs once', async () => {
    const scope = nock(API)
      .get('/repos/o/r/git/trees/c1')
      .query({ recursive: 'true' })
      .reply(200, { sha: 't0', tree: [], truncated: true })
      .get('/repos/o/r/git/trees/c1')
      .reply(200, {
        sha: 't0',
        truncated: false,
        tree: [
          { path: 'packages', mode: '040000', type: 'tree', sha: 't1' },
          { path: 'registry.yaml', mode: '100644', type: 'blob', sha: 'b1', size: 5 },
          { path: 'vendor', mode: '160000', type: 'commit', sha: 'c9' },
        ],
      })
      .get('/repos/o/r/git/trees/t1')
      .reply(200, {
        sha: 't1',
        truncated: false,
        tree: [{ path: 'a.yaml', mode: '120000', type: 'blob', sha: 'b2', size: 3 }],
      })
      .get('/repos/o/r/git/blobs/b1')
      .reply(200, {
        sha: 'b1',
        node_id: 'B_b1',
        url: 'https://api.github.com/repos/o/r/git/blobs/b1',
        size: 5,
        content: Buffer.from('name\n').toString('base64'),
        encoding: 'base64',
      });
    const tree = createApiTree(github(), { ...ref, sha: 'c1' });
    expect(await tree.list('')).toEqual([
      { path: 'packages/a.yaml', kind: 'symlink', size: 3 },
      { path: 'registry.yaml', kind: 'file', size: 5 },
      { path: 'vendor', kind: 'submodule' },
    ]);
    expect((await tree.read('registry.yaml'))?.toString()).toBe('name\n');
    expect((await tree.read('registry.yaml'))?.toString()).toBe('name\n');
    expect(await tree.read('missing.yaml')).toBeUndefined();
    scope.done();
  });

  it('refuses to download a blob over the 100 MiB file limit of GitHub', async () => {
    nock(API)
      .get('/repos/o/r/git/trees/c2')
      .query({ recursive: 'true' })
      .reply(200, {
        sha: 't',
        truncated: false,
        tree: [{ path: 'big.yaml', mode: '100644', type: 'blob', sha: 'b', size: 200_000_000 }],
      });
    await expect(createApiTree(github(), { ...ref, sha: 'c2' }).read('big.yaml')).rejects.toThrow(
      /at most 104857600 bytes/,
    );
  });
});

describe('changedFilesOf', () => {
  it('splits renames and takes kinds from the right side', async () => {
    const kinds: Record<string, 'file' | 'symlink'> = { 'packages/b/1.0.0.yaml': 'symlink' };
    const tree = { entry: async (path: string) => ({ path, kind: kinds[path] ?? 'file' }) };
    expect(
      await changedFilesOf(
        [
          { filename: 'packages/a/1.0.0.yaml', status: 'added' },
          { filename: 'packages/b/1.0.0.yaml', status: 'modified' },
          { filename: 'packages/c/1.0.0.yaml', status: 'removed' },
          { filename: 'packages/d/2.0.0.yaml', status: 'renamed', previous_filename: 'packages/d/1.0.0.yaml' },
          { filename: 'README.md', status: 'unchanged' },
        ],
        tree,
        tree,
      ),
    ).toEqual([
      { path: 'packages/a/1.0.0.yaml', status: 'added', kind: 'file' },
      { path: 'packages/b/1.0.0.yaml', status: 'modified', kind: 'symlink' },
      { path: 'packages/c/1.0.0.yaml', status: 'deleted', kind: 'file' },
      { path: 'packages/d/1.0.0.yaml', status: 'deleted', kind: 'file' },
      { path: 'packages/d/2.0.0.yaml', status: 'added', kind: 'file' },
    ]);
  });
});

describe('approversOf', () => {
  it('takes the latest deciding review per user, on the current head only', () => {
    const r = (login: string, state: string, commit = 'h') => ({ user: { login }, state, commit_id: commit });
    expect(
      approversOf(
        [
          r('a', 'APPROVED'),
          r('b', 'APPROVED', 'old'),
          r('c', 'APPROVED'),
          r('c', 'DISMISSED'),
          r('d', 'CHANGES_REQUESTED'),
          r('d', 'APPROVED'),
          r('d', 'COMMENTED'),
          { user: null, state: 'APPROVED', commit_id: 'h' },
        ],
        'h',
      ),
    ).toEqual(['a', 'd']);
  });
});
