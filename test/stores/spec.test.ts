import nock from 'nock';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { parseStoreSpec, serverUrlFromApi } from '../../curator/stores/spec.js';
import { tempDir } from '../helpers/tmp.js';
import { JSON_HEADERS, notFoundBody } from './github-fixtures.js';

describe('parseStoreSpec', () => {
  it('makes an fs: store relative to cwd', async () => {
    const cwd = await tempDir();
    const store = parseStoreSpec('fs:releases', { cwd, env: {} });
    expect(store.spec).toBe(`fs:${join(cwd, 'releases')}`);
    await store.put('left-pad', 'left-pad-1.0.0.tar.gz', Buffer.from('x'));
    expect(await readFile(join(cwd, 'releases', 'left-pad', 'left-pad-1.0.0.tar.gz'), 'utf8')).toBe('x');
    expect(parseStoreSpec('fs:/srv/releases', { cwd, env: {} }).spec).toBe('fs:/srv/releases');
  });

  it('refuses unknown schemes and malformed specs with a usage error listing the valid forms', () => {
    for (const spec of [
      's3:bucket',
      'releases',
      '',
      'fs:',
      'github:acme',
      'github:acme/repo/extra',
      'github:/repo',
      'github:ac me/repo',
    ]) {
      let error: unknown;
      try {
        parseStoreSpec(spec, { cwd: '/', env: { GITHUB_TOKEN: 't' } });
      } catch (e) {
        error = e;
      }
      expect(error, spec).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
    }
    expect(() => parseStoreSpec('s3:bucket', { cwd: '/', env: {} })).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/`fs:DIR`.*`github:OWNER\/REPO`/) as unknown }),
    );
  });

  it('needs a token for github: and says where to put it', () => {
    expect(() => parseStoreSpec('github:acme/registry-assets', { cwd: '/', env: {} })).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        hint: expect.stringMatching(/GITHUB_TOKEN.*contents: write/) as unknown,
      }),
    );
    expect(() => parseStoreSpec('github:acme/registry-assets', { cwd: '/', env: { GITHUB_TOKEN: '  ' } })).toThrow(
      UsageError,
    );
  });

  it('authenticates with GITHUB_TOKEN before GH_TOKEN', async () => {
    const api = nock('https://api.github.com', { reqheaders: { authorization: 'token from-github-token' } });
    api.get('/repos/acme/registry-assets/releases/tags/widgets').reply(404, notFoundBody(), JSON_HEADERS);
    const store = parseStoreSpec('github:acme/registry-assets', {
      cwd: '/',
      env: { GITHUB_TOKEN: 'from-github-token', GH_TOKEN: 'other' },
    });
    expect(store.spec).toBe('github:acme/registry-assets');
    expect(store.assetBase).toBe('https://github.com/acme/registry-assets/releases/download');
    expect(await store.find('widgets', 'widgets-1.0.0.tar.gz')).toBeUndefined();
    api.done();

    const gh = nock('https://api.github.com', { reqheaders: { authorization: 'token from-gh-token' } });
    gh.get('/repos/acme/registry-assets/releases/tags/widgets').reply(404, notFoundBody(), JSON_HEADERS);
    await parseStoreSpec('github:acme/registry-assets', { cwd: '/', env: { GH_TOKEN: 'from-gh-token' } }).find(
      'widgets',
      'widgets-1.0.0.tar.gz',
    );
    gh.done();
  });

  it('honours GITHUB_API_URL for GitHub Enterprise, for requests and download URLs', async () => {
    const api = nock('https://ghe.example.com', { reqheaders: { authorization: 'token t' } });
    api.get('/api/v3/repos/acme/registry-assets/releases/tags/widgets').reply(404, notFoundBody(), JSON_HEADERS);
    const store = parseStoreSpec('github:acme/registry-assets', {
      cwd: '/',
      env: { GITHUB_TOKEN: 't', GITHUB_API_URL: 'https://ghe.example.com/api/v3' },
    });
    expect(store.assetBase).toBe('https://ghe.example.com/acme/registry-assets/releases/download');
    expect(await store.find('widgets', 'widgets-1.0.0.tar.gz')).toBeUndefined();
    api.done();
  });

  it('uses a given Octokit (the app installation client) without needing a token in the environment', async () => {
    const api = nock('https://api.github.com', { reqheaders: { authorization: 'token installation' } });
    api.get('/repos/acme/registry-assets/releases/tags/widgets').reply(404, notFoundBody(), JSON_HEADERS);
    const store = parseStoreSpec('github:acme/registry-assets', {
      cwd: '/',
      env: {},
      octokit: new Octokit({ auth: 'installation' }),
    });
    expect(await store.find('widgets', 'widgets-1.0.0.tar.gz')).toBeUndefined();
    api.done();
  });

  it('derives the web root from the API root', () => {
    expect(serverUrlFromApi('https://api.github.com')).toBe('https://github.com');
    expect(serverUrlFromApi('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com');
    expect(serverUrlFromApi('https://api.octocorp.ghe.com')).toBe('https://octocorp.ghe.com');
    expect(() => serverUrlFromApi('not a url')).toThrow(UsageError);
  });
});
