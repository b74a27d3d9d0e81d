// `granary submit`: a real package repository, GitHub's API mocked with nock (shapes from @octokit/fixtures).
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { locationFromRemote, versionFromTag } from '../../curator/submit/definition.js';
import { submit } from '../../curator/submit/submit.js';
import { InputError, UsageError } from '../../core/errors.js';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { createRepo } from '../helpers/git.js';
import {
  API,
  fixture,
  folderListing,
  github,
  notFound,
  openedPull,
  packageRepo,
  registryRepository,
  MANIFEST,
  repository,
  user,
} from './support.js';

const EXPECTED = (commit: string, owners: string[]) => ({
  name: 'left-pad',
  version: '1.2.0',
  description: 'Pads strings on the left.',
  license: 'MIT',
  location: { github: 'codertocat/left-pad' },
  ref: 'v1.2.0',
  commit,
  dependencies: { 'string-utils': '^2.0.0' },
  keywords: ['strings'],
  owners,
});

describe('granary submit', () => {
  it('--dry-run prints the definition and the PR it would open, without calling GitHub', async () => {
    const { repo, commit } = await packageRepo();
    const io = memoryIo({ cwd: repo.dir });
    const code = await main(
      ['submit', '--registry', 'example-org/registry', '--owner', 'Codertocat', '--dry-run', '--json'],
      io,
    );
    expect(code).toBe(0);
    const out = JSON.parse(io.text());
    // The annotated tag is peeled to its commit.
    expect(out.definition).toEqual(EXPECTED(commit, ['Codertocat']));
    expect(out.path).toBe('packages/left-pad/1.2.0.yaml');
    expect(parse(out.content)).toEqual(EXPECTED(commit, ['Codertocat']));
    expect(out.pullRequest).toEqual({
      title: 'Publish left-pad@1.2.0',
      base: 'the default branch',
      branch: 'granary/left-pad-1.2.0',
      registry: 'example-org/registry',
      dryRun: true,
    });
  });

  it('writes ranges in normal form, and refuses one that has none, saying why', async () => {
    const { repo } = await packageRepo();
    const run = async (dependency: string) => {
      const io = memoryIo({ cwd: repo.dir });
      const argv = ['submit', '--registry', 'example-org/registry', '--owner', 'Codertocat', '--dry-run', '--json'];
      const code = await main([...argv, '--dependency', dependency], io);
      return { code, out: io.text(), err: io.err.join('') };
    };
    const spaced = await run('string-utils@>= 2.0.0  < 3.0.0');
    expect(spaced.code).toBe(0);
    expect(JSON.parse(spaced.out).definition.dependencies).toEqual({ 'string-utils': '>=2.0.0 <3.0.0' });
    expect(parse(JSON.parse(spaced.out).content).dependencies).toEqual({ 'string-utils': '>=2.0.0 <3.0.0' });
    const hyphen = await run('string-utils@2.0.0 - 3.0.0');
    expect(hyphen.code).not.toBe(0);
    const said = hyphen.out + hyphen.err;
    expect(said).toMatch(/hyphen ranges .* write \\">=2.0.0 <=3.0.0\\"/);
    expect(said).toMatch(/range-syntax/);
  });

  it('refuses a dependency of granary.yaml the project manifest reader refuses, at its line', async () => {
    const { repo } = await packageRepo({ manifest: MANIFEST.replace('string-utils: ^2.0.0', 'String_Utils: ^2.0.0') });
    const io = memoryIo({ cwd: repo.dir });
    const argv = ['submit', '--registry', 'example-org/registry', '--owner', 'Codertocat', '--dry-run'];
    expect(await main(argv, io)).toBe(1);
    expect(io.err.join('')).toMatch(/String_Utils.* is not a package name[\s\S]*granary\.yaml:5:3/);
  });

  it('opens the PR on a branch of the registry when the token can push', async () => {
    const { repo, commit } = await packageRepo();
    const bodies: Record<string, any> = {};
    const keep = (key: string) => (body: any) => ((bodies[key] = body), true);
    const scope = nock(API)
      .get('/repos/example-org/registry')
      .reply(200, registryRepository())
      // A first version: the registry has no folder for the package.
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad')
      .query({ ref: 'main' })
      .reply(404, notFound)
      .get('/user')
      .reply(200, user())
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad%2F1.2.0.yaml')
      .query({ ref: 'main' })
      .reply(404, notFound)
      .get('/repos/example-org/registry/git/ref/heads%2Fmain')
      .reply(200, fixture('git-refs')[0]!.response[0])
      .post('/repos/example-org/registry/git/refs', keep('ref'))
      .reply(201, fixture('git-refs')[1]!.response)
      .put('/repos/example-org/registry/contents/packages%2Fleft-pad%2F1.2.0.yaml', keep('file'))
      .reply(201, fixture('create-file')[0]!.response)
      .post('/repos/example-org/registry/pulls', keep('pr'))
      .reply(201, openedPull(42));

    const result = await submit({ dir: repo.dir, registry: 'example-org/registry' }, github());
    scope.done();
    expect(result.opened).toEqual({
      url: 'https://github.com/example-org/registry/pull/42',
      number: 42,
      branch: 'granary/left-pad-1.2.0',
      headRepo: 'example-org/registry',
      forked: false,
    });
    expect(bodies['ref']).toEqual({
      ref: 'refs/heads/granary/left-pad-1.2.0',
      sha: '0000000000000000000000000000000000000001',
    });
    expect(bodies['file']).toEqual({
      message: 'Publish left-pad@1.2.0',
      branch: 'granary/left-pad-1.2.0',
      content: expect.any(String),
    });
    // The owner defaults to the token's user.
    expect(parse(Buffer.from(bodies['file'].content, 'base64').toString('utf8'))).toEqual(
      EXPECTED(commit, ['Codertocat']),
    );
    expect(bodies['pr']).toEqual({
      title: 'Publish left-pad@1.2.0',
      head: 'granary/left-pad-1.2.0',
      base: 'main',
      maintainer_can_modify: true,
      body: expect.stringContaining('Adds `packages/left-pad/1.2.0.yaml`'),
    });
  });

  it('forks the registry when the token cannot push, and opens the PR from the fork', async () => {
    const { repo } = await packageRepo();
    const bodies: Record<string, any> = {};
    const keep = (key: string) => (body: any) => ((bodies[key] = body), true);
    const forkRepo = {
      ...repository(),
      name: 'registry',
      full_name: 'Codertocat/registry',
      owner: { ...fixture('get-repository')[0]!.response.owner, login: 'Codertocat' },
    };
    const scope = nock(API)
      .get('/repos/example-org/registry')
      .reply(200, {
        ...repository(),
        default_branch: 'main',
        permissions: { admin: false, push: false, pull: true },
      })
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad')
      .query({ ref: 'main' })
      .reply(404, notFound)
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad%2F1.2.0.yaml')
      .query({ ref: 'main' })
      .reply(404, { message: 'Not Found' })
      .get('/repos/example-org/registry/git/ref/heads%2Fmain')
      .reply(200, fixture('git-refs')[0]!.response[0])
      .post('/repos/example-org/registry/forks', keep('fork'))
      .reply(202, forkRepo)
      .get('/repos/Codertocat/registry')
      .reply(404, { message: 'Not Found' })
      .get('/repos/Codertocat/registry')
      .reply(200, forkRepo)
      .post('/repos/Codertocat/registry/git/refs')
      .reply(201, fixture('git-refs')[1]!.response)
      .put('/repos/Codertocat/registry/contents/packages%2Fleft-pad%2F1.2.0.yaml')
      .reply(201, fixture('create-file')[0]!.response)
      .post('/repos/example-org/registry/pulls', keep('pr'))
      .reply(201, openedPull(43));
    const waits: number[] = [];
    const result = await submit({ dir: repo.dir, registry: 'example-org/registry', owners: ['Codertocat'] }, github(), {
      sleep: async (ms) => void waits.push(ms),
    });
    scope.done();
    expect(bodies['fork']).toEqual({ default_branch_only: true });
    expect(waits).toEqual([1000]);
    expect(result.opened).toMatchObject({ forked: true, headRepo: 'Codertocat/registry', number: 43 });
    expect(bodies['pr'].head).toBe('Codertocat:granary/left-pad-1.2.0');
  });

  it('refuses a version the registry already has, before writing anything', async () => {
    const { repo } = await packageRepo();
    const scope = nock(API)
      .get('/repos/example-org/registry')
      .reply(200, registryRepository())
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad')
      .query({ ref: 'main' })
      .reply(200, folderListing('packages/left-pad', ['1.2.0.yaml']))
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad%2F1.2.0.yaml')
      .query({ ref: 'main' })
      .reply(
        200,
        'name: left-pad\nversion: 1.2.0\nlicense: MIT\nlocation: { github: codertocat/left-pad }\nref: v1.2.0\n',
      );
    const error = await submit(
      { dir: repo.dir, registry: 'example-org/registry', owners: ['Codertocat'] },
      github(),
    ).catch((e) => e);
    scope.done();
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'packages/left-pad/1.2.0.yaml already exists in example-org/registry: left-pad@1.2.0 is taken',
    );
  });

  it('says what to do when HEAD has no tag or the token is missing', async () => {
    const repo = await createRepo();
    await repo.write('a.txt', 'a\n');
    await repo.commit('untagged');
    await expect(submit({ dir: repo.dir, registry: 'o/r', dryRun: true }, undefined)).rejects.toThrow(UsageError);
    const { repo: tagged } = await packageRepo();
    const io = memoryIo({ cwd: tagged.dir });
    expect(await main(['submit', '--registry', 'example-org/registry'], io)).toBe(2);
    expect(io.err.join('')).toContain('GITHUB_TOKEN');
  });
});

describe('definition helpers', () => {
  it('reads versions from common tag styles', () => {
    expect(['v1.2.3', '1.2.3', 'left-pad-v1.2.3', 'left-pad@1.2.3-beta.1'].map(versionFromTag)).toEqual([
      '1.2.3',
      '1.2.3',
      '1.2.3',
      '1.2.3-beta.1',
    ]);
    expect(() => versionFromTag('release')).toThrow(UsageError);
    expect(() => versionFromTag('v1.2.3+build')).toThrow(UsageError);
  });

  it('maps remotes to locations, dropping credentials', () => {
    expect(locationFromRemote('https://github.com/o/r.git')).toEqual({ github: 'o/r' });
    expect(locationFromRemote('https://user:pw@github.com/o/r')).toEqual({ github: 'o/r' });
    expect(locationFromRemote('ssh://git@github.com/o/r.git')).toEqual({ github: 'o/r' });
    expect(locationFromRemote('https://alice:secret@git.example.org/o/r.git')).toEqual({
      git: 'https://git.example.org/o/r.git',
    });
  });
});
