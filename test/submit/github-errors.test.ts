// What a failure talking to GitHub says: only a refused token is about the token.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, formatError, GranaryError } from '../../core/errors.js';
import { submit } from '../../curator/submit/submit.js';
import { API, github, notFound, packageRepo, registryRepository, run } from './support.js';

/** The registry answers; then GET /user fails as `reply` says. */
function userFails(reply: (scope: nock.Interceptor) => nock.Scope) {
  const scope = nock(API)
    .get('/repos/example-org/registry')
    .reply(200, registryRepository())
    .get('/repos/example-org/registry/contents/packages%2Fleft-pad')
    .query({ ref: 'main' })
    .reply(404, notFound);
  reply(scope.get('/user'));
  return scope;
}

async function failure(dir: string): Promise<{ code: number; text: string }> {
  const error = await submit({ dir, registry: 'example-org/registry', dryRun: true }, github()).catch((e) => e);
  expect(error).toBeInstanceOf(GranaryError);
  return { code: exitCodeOf(error), text: formatError(error) };
}

describe('granary submit: GitHub failures', () => {
  it('a DNS failure says GitHub could not be reached, to retry, and exits 2', async () => {
    const { repo } = await packageRepo();
    // The request and the client's three retries.
    const scope = userFails((user) =>
      user.times(4).replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.github.com' }),
    );
    const { code, text } = await failure(repo.dir);
    scope.done();
    expect(code).toBe(2);
    expect(text).toContain('could not reach GitHub while reading the login of the token');
    expect(text).toContain('run the same command again');
    expect(text).not.toContain('GITHUB_TOKEN');
  });

  it('a 5xx that outlasts the retries is not blamed on the token, and exits 2', async () => {
    const { repo } = await packageRepo();
    const scope = userFails((user) => user.times(4).reply(502, { message: 'Server Error' }));
    const { code, text } = await failure(repo.dir);
    scope.done();
    expect(code).toBe(2);
    expect(text).toContain('GitHub answered 502 while reading the login of the token');
    expect(text).toContain('run the same command again');
    expect(text).not.toContain('GITHUB_TOKEN');
  });

  it('a 401 says the token was refused, and how to do without its login', async () => {
    const { repo } = await packageRepo();
    const scope = userFails((user) =>
      user.reply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }),
    );
    const result = await run(repo.dir, ['submit', '--registry', 'example-org/registry', '--dry-run'], {
      GITHUB_TOKEN: 'ghp_expired',
    });
    scope.done();
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('GitHub answered 401 while reading the login of the token: Bad credentials');
    expect(result.err).toContain(
      'fix: GITHUB_TOKEN (or GH_TOKEN) must be a valid token of the person submitting; or pass --owner LOGIN',
    );
  });
});
