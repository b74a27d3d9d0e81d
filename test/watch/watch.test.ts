// `granary watch`: a new SemVer tag of a registered package becomes a pull request (GitHub mocked with nock,
// the sources real local repositories); tags already published, unpublished, older or not SemVer do not.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../cli/cli.js';
import { GitError } from '../../core/errors.js';
import { gitRunner, type GitRunner } from '../../core/git/run.js';
import { registryAt } from '../../curator/curate/curate.js';
import { createOctokit } from '../../curator/github/octokit.js';
import { Git } from '../../curator/git/repository.js';
import { watchRegistry } from '../../curator/watch/watch.js';
import { memoryIo } from '../../cli/io.js';
import { pullRequestObject } from '../app/support/github.js';
import { createFixture } from '../curate/fixture.js';
import { gitIn } from '../helpers/git.js';
import { SINCE_RECORDED } from '../stores/github-fixtures.js';

const require = createRequire(import.meta.url);
const fixture = (name: string) =>
  require(`@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`) as Array<{ response: any }>;
const repository = (fields: Record<string, unknown> = {}) => ({
  ...fixture('get-repository')[0]!.response,
  ...SINCE_RECORDED.repository,
  ...fields,
});
const API = 'https://api.github.com';
const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };

describe('granary watch', () => {
  it('opens one pull request per new tag, carrying the definition over, and reports moved and missing repositories', async () => {
    const f = await createFixture();
    const alpha = await f.source('alpha', ['0.9.0', '1.0.0', '1.0.1']);
    const beta = await f.source('beta', ['2.0.0']);
    // alpha's source gets a new tag whose granary.yaml names new dependencies, and a tag that is not a version.
    const alphaDir = fileURLToPath(alpha);
    await gitIn(alphaDir, 'tag', 'nightly');
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    await f.registry.write('packages/alpha/1.0.1.yaml', f.definition('alpha', '1.0.1', alpha));
    await f.registry.write('packages/beta/2.0.0.yaml', f.definition('beta', '2.0.0', beta));
    for (const [name, repo] of [
      ['gamma', 'acme/gamma-old'],
      ['delta', 'acme/delta'],
    ] as const)
      await f.registry.write(
        `packages/${name}/1.0.0.yaml`,
        f.definition(name, '1.0.0', 'x').replace('  git: x', `  github: ${repo}`),
      );
    await f.registry.commit('packages');
    // 1.0.1 was unpublished: its number is never proposed again, though its tag is there.
    await f.registry.git('rm', '-q', 'packages/alpha/1.0.1.yaml');
    await f.registry.commit('unpublish alpha 1.0.1');
    await gitIn(alphaDir, 'checkout', '-q', 'main');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${alphaDir}/granary.yaml`, 'dependencies:\n  beta: ^2.0.0\n');
    await writeFile(`${alphaDir}/src/index.js`, "export const version = '1.1.0';\n");
    await gitIn(alphaDir, 'add', '-A');
    await gitIn(alphaDir, 'commit', '-qm', 'release 1.1.0');
    await gitIn(alphaDir, 'tag', 'v1.1.0');

    const bodies: Record<string, any> = {};
    const keep = (key: string) => (body: any) => ((bodies[key] = body), true);
    const scope = nock(API)
      // gamma: GitHub answers for the old name with the renamed repository.
      .get('/repos/acme/gamma-old')
      .reply(200, repository({ name: 'gamma', full_name: 'acme/gamma' }))
      .get('/repos/acme/delta')
      .reply(404, notFound)
      // alpha 1.1.0: the pull request, as `granary submit` opens it.
      .get('/repos/example-org/registry')
      .reply(200, { ...repository(), default_branch: 'main', permissions: { admin: false, push: true, pull: true } })
      .get('/repos/example-org/registry/contents/packages%2Falpha%2F1.1.0.yaml')
      .query({ ref: 'main' })
      .reply(404, notFound)
      .get('/repos/example-org/registry/git/ref/heads%2Fmain')
      .reply(200, fixture('git-refs')[0]!.response[0])
      .post('/repos/example-org/registry/git/refs', keep('ref'))
      .reply(201, fixture('git-refs')[1]!.response)
      .put('/repos/example-org/registry/contents/packages%2Falpha%2F1.1.0.yaml', keep('file'))
      .reply(201, fixture('create-file')[0]!.response)
      .post('/repos/example-org/registry/pulls', keep('pr'))
      .reply(201, {
        ...pullRequestObject({ number: 7, author: 'granary-bot', headSha: '0'.repeat(40) }),
        html_url: 'https://github.com/example-org/registry/pull/7',
      });

    // github.com is out of reach here, as the network is in tests: its ls-remote fails as DNS would.
    const offline: GitRunner = {
      ...gitRunner,
      run: (dir, args, options) =>
        args.includes('ls-remote') && args.some((a) => a.startsWith('https://github.com/'))
          ? Promise.reject(
              new GitError('git ls-remote failed', {
                reason: 'exit',
                exit: 128,
                stderr: "fatal: unable to access 'https://github.com/': Could not resolve host: github.com",
              }),
            )
          : gitRunner.run(dir, args, options),
    };
    const git = new Git(f.registry.dir);
    const rev = (await git.resolveRef('refs/heads/main'))!;
    const packages = (await watchRegistry({
      git,
      rev,
      registry: await registryAt(git.objects, rev),
      cwd: f.registry.dir,
      sourceGit: offline,
      github: {
        octokit: createOctokit({ token: 'ghs_watch', retryBaseMs: 1, writeIntervalMs: 0 }),
        registry: { owner: 'example-org', repo: 'registry' },
      },
    }).finally(() => git.close())) as unknown as Array<Record<string, any>>;
    scope.done();
    const by = Object.fromEntries(packages.map((p) => [p.name, p]));
    expect(by['alpha']).toMatchObject({
      status: 'new',
      latest: '1.0.0',
      proposed: [{ version: '1.1.0', tag: 'v1.1.0', pullRequest: { number: 7 } }],
    });
    expect(by['beta']).toMatchObject({ status: 'current', proposed: [] });
    expect(by['gamma']).toMatchObject({ status: 'moved', reason: expect.stringContaining('is now acme/gamma') });
    expect(by['delta']).toMatchObject({ status: 'missing' });
    expect(parse(Buffer.from(bodies['file'].content, 'base64').toString('utf8'))).toEqual({
      name: 'alpha',
      version: '1.1.0',
      license: 'MIT',
      description: 'The alpha package',
      location: { git: alpha },
      ref: 'v1.1.0',
      owners: ['alice'],
      dependencies: { beta: '^2.0.0' },
    });
    expect(bodies['pr'].body).toContain('Opened automatically by `granary watch`: the tag `v1.1.0` appeared');
  });

  it('without --github only reports, and opens nothing', async () => {
    const f = await createFixture();
    const alpha = await f.source('alpha', ['1.0.0', '1.2.0']);
    await f.registry.write('registry.yaml', f.registryYaml());
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', alpha));
    await f.registry.commit('alpha');
    const io = memoryIo({ cwd: f.registry.dir });
    expect(await main(['watch'], io), io.err.join('')).toBe(0);
    expect(io.text()).toContain('1.2.0 (tag v1.2.0): would open a pull request');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
