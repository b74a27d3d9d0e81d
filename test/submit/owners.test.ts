// Who owns a first version: --owner, else the manifest's, else the token's login (in a dry run too), else ask.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { API, notFound, packageRepo, registryRepository, run, user } from './support.js';

describe('granary submit: owners of a first version', () => {
  it("a dry run writes the token's login when neither --owner nor the manifest names one", async () => {
    const { repo } = await packageRepo();
    const scope = nock(API)
      .get('/repos/example-org/registry')
      .reply(200, registryRepository())
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad')
      .query({ ref: 'main' })
      .reply(404, notFound)
      .get('/user')
      .reply(200, user());
    const result = await run(repo.dir, ['submit', '--registry', 'example-org/registry', '--dry-run'], {
      GITHUB_TOKEN: 'ghp_test',
    });
    scope.done();
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('\nowners:\n  - Codertocat\n');
    expect(result.out).toContain("owners: Codertocat (the token's login)\n");
  });

  it('without a token, asks for --owner (exit 2) instead of writing a definition the gate refuses', async () => {
    const { repo } = await packageRepo();
    const result = await run(repo.dir, ['submit', '--registry', 'example-org/registry', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain('left-pad@1.2.0 has no owners, which a new package needs: pass --owner LOGIN');
  });

  it("takes the manifest's owners without asking GitHub for the login", async () => {
    const { repo } = await packageRepo({ manifest: 'name: left-pad\nlicense: MIT\nowners: [octocat]\n' });
    const result = await run(repo.dir, ['submit', '--registry', 'example-org/registry', '--dry-run', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).definition.owners).toEqual(['octocat']);
  });
});
