// `granary submit --registry-dir`: the definition committed on a new branch of a local clone, nothing else touched.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRepo, registryClone, run } from './support.js';

describe('granary submit --registry-dir', () => {
  it('commits the one file on granary/<name>-<version>, leaving the checked-out branch and its files alone', async () => {
    const registry = await registryClone({ 'packages/.gitkeep': '' });
    await registry.git('remote', 'add', 'origin', 'https://github.com/example-org/registry.git');
    // Work in progress in the clone: a change and an untracked file, which must stay as they are.
    await registry.write('registry.yaml', 'name: example\ndescription: being edited\n');
    await registry.write('notes.txt', 'mine\n');
    const head = await registry.head();
    const status = await registry.git('status', '--porcelain');
    const { repo, commit } = await packageRepo();

    const result = await run(repo.dir, ['submit', '--registry-dir', registry.dir, '--owner', 'Codertocat']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);

    const branch = 'granary/left-pad-1.2.0';
    expect(await registry.git('rev-parse', `${branch}^`)).toBe(head);
    expect(await registry.git('diff', '--name-status', head, branch)).toBe('A\tpackages/left-pad/1.2.0.yaml');
    expect(parse(await registry.git('show', `${branch}:packages/left-pad/1.2.0.yaml`))).toEqual({
      name: 'left-pad',
      version: '1.2.0',
      description: 'Pads strings on the left.',
      license: 'MIT',
      location: { github: 'codertocat/left-pad' },
      ref: 'v1.2.0',
      commit,
      dependencies: { 'string-utils': '^2.0.0' },
      keywords: ['strings'],
      owners: ['Codertocat'],
    });
    expect(await registry.git('log', '-1', '--format=%an <%ae>|%s', branch)).toBe(
      'Registry User <registry-user@example.test>|Publish left-pad@1.2.0',
    );
    // The checked-out branch, the index and the work tree are as they were.
    expect(await registry.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(await registry.head()).toBe(head);
    expect(await registry.git('status', '--porcelain')).toBe(status);
    expect(await readFile(join(registry.dir, 'registry.yaml'), 'utf8')).toBe(
      'name: example\ndescription: being edited\n',
    );
    expect(result.out).toContain(
      `committed packages/left-pad/1.2.0.yaml on the new branch ${branch} of ${registry.dir}`,
    );
    expect(result.out).toContain(`push it: git -C ${registry.dir} push origin ${branch}\n`);
    expect(result.out).toContain(`then open the pull request "Publish left-pad@1.2.0" from ${branch} against main`);

    // Run again: the branch exists, and nothing changes.
    const tip = await registry.git('rev-parse', branch);
    const again = await run(repo.dir, ['submit', '--registry-dir', registry.dir, '--owner', 'Codertocat']);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`the branch ${branch} already exists in ${registry.dir}`);
    expect(await registry.git('rev-parse', branch)).toBe(tip);
  });

  it('refuses a version the clone already has, and a first version without owners, writing nothing', async () => {
    const registry = await registryClone({
      'packages/left-pad/1.2.0.yaml':
        'name: left-pad\nversion: 1.2.0\nlicense: MIT\nlocation:\n  github: codertocat/left-pad\nref: v1.2.0\n',
    });
    const { repo } = await packageRepo();
    const taken = await run(repo.dir, ['submit', '--registry-dir', registry.dir, '--owner', 'Codertocat']);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain(
      `packages/left-pad/1.2.0.yaml already exists in ${registry.dir}: left-pad@1.2.0 is taken`,
    );

    const empty = await registryClone({});
    const ownerless = await run(repo.dir, ['submit', '--registry-dir', empty.dir]);
    expect(ownerless.code).toBe(2);
    expect(ownerless.err).toContain('pass --owner LOGIN');
    expect(await registry.git('branch', '--list')).toBe('* main');
    expect(await empty.git('branch', '--list')).toBe('* main');
  });
});
