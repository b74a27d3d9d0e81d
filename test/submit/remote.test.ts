// Where the source lives when the package's repository has no GitHub remote.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { packageRepo, registryClone, run } from './support.js';

const ARGS = ['submit', '--registry', 'example-org/registry', '--owner', 'Codertocat', '--json'];

describe('granary submit without a GitHub remote', () => {
  it('a dry run without any remote points at the repository itself and says which remote to add', async () => {
    const { repo } = await packageRepo({ remote: null });
    const top = await repo.git('rev-parse', '--show-toplevel');
    const result = await run(repo.dir, [...ARGS, '--dry-run']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.out);
    expect(out.definition.location).toEqual({ git: pathToFileURL(top).href });
    expect(out.warnings).toContainEqual(
      expect.stringContaining('`git remote add origin https://github.com/OWNER/REPO.git`'),
    );
    // In text, the warning goes to standard error.
    const text = await run(repo.dir, [
      'submit',
      '--registry',
      'example-org/registry',
      '--owner',
      'Codertocat',
      '--dry-run',
    ]);
    expect(text.code).toBe(0);
    expect(text.err).toContain('\nwarning: the repository has no remote, so location points at file:');
  });

  it('outside a dry run, no remote is a usage error', async () => {
    const registry = await registryClone({});
    const { repo } = await packageRepo({ remote: null });
    const result = await run(repo.dir, ['submit', '--registry-dir', registry.dir, '--owner', 'Codertocat']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('the repository has no remote');
    expect(await registry.git('branch', '--list')).toBe('* main');
  });

  it('takes a remote other than origin, and a local path as a file: URL', async () => {
    const upstream = await tempDir('granary-upstream-');
    const { repo } = await packageRepo({ remote: ['upstream', upstream] });
    const result = await run(repo.dir, [...ARGS, '--dry-run']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.out);
    expect(out.definition.location).toEqual({ git: pathToFileURL(upstream).href });
    expect(out.warnings).toEqual([expect.stringContaining('without a GitHub token')]);
  });
});
