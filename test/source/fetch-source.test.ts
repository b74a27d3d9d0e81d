import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LimitError } from '../../core/errors.js';
import { fetchSource } from '../../curator/source/fetch-source.js';
import { SourceFailure } from '../../curator/source/errors.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { definition, localRegistry, recordingRunner } from '../pack/fixtures.js';

async function source(): Promise<{ repo: TestRepo; first: string; second: string }> {
  const repo = await createRepo();
  await repo.write('README.md', '# demo\n');
  await repo.write('lib/core/index.ts', 'export const core = 1;\n');
  const first = await repo.commit('first');
  await repo.tag('v1.0.0');
  await repo.git('tag', '-a', 'v1.1.0', '-m', 'annotated release');
  await repo.write('README.md', '# demo 2\n');
  const second = await repo.commit('second');
  return { repo, first, second };
}

async function failure(p: Promise<unknown>): Promise<SourceFailure> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceFailure);
  return error as SourceFailure;
}

describe('fetchSource', () => {
  it('resolves a lightweight tag and an annotated tag (peeled) to their commit', async () => {
    const { repo, first } = await source();
    for (const ref of ['v1.0.0', 'v1.1.0']) {
      const fetched = await fetchSource(definition(repo.dir, { ref }), { registry: localRegistry() });
      try {
        expect(fetched.commit).toBe(first);
        expect(fetched.entries.map((e) => e.path).sort()).toEqual(['README.md', 'lib/core/index.ts']);
      } finally {
        await fetched.dispose();
      }
    }
  });

  it('accepts a matching commit pin and refuses a mismatching one', async () => {
    const { repo, first, second } = await source();
    const ok = await fetchSource(definition(repo.dir, { commit: first }), { registry: localRegistry() });
    await ok.dispose();
    const e = await failure(fetchSource(definition(repo.dir, { commit: second }), { registry: localRegistry() }));
    expect(e.rule).toBe('commit-mismatch');
    expect(e.message).toContain(first);
    expect(e.message).toContain(second);
    expect(e.where).toBe('demo@1.0.0');
  });

  it('reports a missing tag with the fix', async () => {
    const { repo } = await source();
    const e = await failure(fetchSource(definition(repo.dir, { ref: 'v9.9.9' }), { registry: localRegistry() }));
    expect(e.rule).toBe('ref-missing');
    expect(e.message).toMatch(/tag v9\.9\.9 not found in file:\/\//);
    expect(e.hint).toMatch(/push the tag|fix `ref`/);
  });

  it('fetches only the tag asked for, not other tags or branches', async () => {
    const { repo } = await source();
    const runner = recordingRunner();
    const fetched = await fetchSource(definition(repo.dir), { registry: localRegistry(), git: runner });
    await fetched.dispose();
    const fetch = runner.calls.find((c) => c[0] === 'fetch')!;
    expect(fetch).toEqual([
      'fetch',
      '--depth=1',
      '--no-tags',
      '--no-recurse-submodules',
      '--',
      `file://${repo.dir}`,
      'refs/tags/v1.0.0:refs/tags/v1.0.0',
    ]);
    expect(runner.calls.some((c) => c.includes('checkout'))).toBe(false);
  });

  it('honours subdir and reports a missing one', async () => {
    const { repo } = await source();
    const fetched = await fetchSource(
      definition(repo.dir, { location: { git: `file://${repo.dir}`, subdir: 'lib/core' } }),
      { registry: localRegistry() },
    );
    expect(fetched.entries.map((e) => e.path)).toEqual(['index.ts']);
    await fetched.dispose();
    const e = await failure(
      fetchSource(definition(repo.dir, { location: { git: `file://${repo.dir}`, subdir: 'lib/nope' } }), {
        registry: localRegistry(),
      }),
    );
    expect(e.rule).toBe('subdir-missing');
  });

  it('reports an unreachable repository', async () => {
    const dir = await tempDir();
    const e = await failure(fetchSource(definition(`${dir}/missing`), { registry: localRegistry() }));
    expect(e.rule).toBe('source-unreachable');
  });

  it('refuses hostile refs and URLs and disallowed hosts before git runs or a directory is made', async () => {
    const { repo } = await source();
    const scratch = await tempDir();
    const hostile = [
      definition(repo.dir, { ref: '--upload-pack=touch /tmp/pwned' }),
      definition(repo.dir, { ref: '-c' }),
      definition(repo.dir, { ref: 'v1..v2' }),
      definition(repo.dir, { location: { git: 'ext::sh -c id' } }),
      definition(repo.dir, { location: { git: 'fd::3' } }),
      definition(repo.dir, { location: { git: '-uevil' } }),
      definition(repo.dir, { location: { git: 'https://u:p@github.com/o/r.git' } }),
      definition(repo.dir, { location: { git: 'https://evil.example.net/o/r.git' } }),
      definition(repo.dir, { location: { git: `file://${repo.dir}`, subdir: '../..' } }),
      definition(repo.dir, { commit: 'HEAD' }),
    ];
    for (const def of hostile) {
      const runner = recordingRunner(false);
      await failure(fetchSource(def, { registry: localRegistry(), git: runner, tmpDir: scratch }));
      expect(runner.calls, JSON.stringify(def)).toEqual([]);
    }
    expect(await readdir(scratch)).toEqual([]);
  });

  it('refuses a source host the registry does not allow (source-not-allowed)', async () => {
    const runner = recordingRunner(false);
    const e = await failure(
      fetchSource(definition('/x', { location: { git: 'https://gitlab.example.com/o/r.git' } }), {
        registry: localRegistry(),
        git: runner,
      }),
    );
    expect(e.rule).toBe('source-not-allowed');
    expect(runner.calls).toEqual([]);
  });

  it('stops a fetch larger than limits.maxFetchBytes and cleans up', async () => {
    const { repo } = await source();
    const random = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    await repo.write('blob.bin', random);
    await repo.commit('big');
    await repo.tag('v2.0.0');
    const scratch = await tempDir();
    const error = await fetchSource(definition(repo.dir, { ref: 'v2.0.0' }), {
      registry: localRegistry({ maxFetchBytes: 64 * 1024 }),
      tmpDir: scratch,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as Error).message).toMatch(/maxFetchBytes/);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('never lets a file:// fetch through when the registry only allows https', async () => {
    const { repo } = await source();
    const runner = recordingRunner(false);
    const httpsOnly = { ...localRegistry(), sources: { schemes: ['https' as const], hosts: ['github.com'] } };
    const e = await failure(fetchSource(definition(repo.dir), { registry: httpsOnly, git: runner }));
    expect(e.rule).toBe('source-not-allowed');
    expect(runner.calls).toEqual([]);
  });
});
