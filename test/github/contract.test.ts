// The contract check every test runs under: requests GitHub's API description does not allow are caught.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../curator/github/octokit.js';
import { checkGitHubRequest, checkGitHubResponse, takeContractViolations } from '../helpers/github-contract.js';
import { assetBody } from '../stores/github-fixtures.js';

const API = 'https://api.github.com';

describe("the check against GitHub's API description", () => {
  it('accepts what GitHub documents and names what it does not', () => {
    checkGitHubRequest('GET', new URL(`${API}/repos/acme/registry/releases/tags/%40acme%2Fwidgets`), undefined);
    checkGitHubRequest('GET', new URL(`${API}/repos/acme/registry/pulls?state=open&per_page=100`), undefined);
    checkGitHubRequest(
      'POST',
      new URL(`${API}/repos/acme/registry/releases`),
      JSON.stringify({ tag_name: 'widgets', draft: true, make_latest: 'false' }),
    );
    expect(takeContractViolations()).toEqual([]);

    checkGitHubRequest('GET', new URL(`${API}/repos/acme/registry/releases/by-name/widgets`), undefined);
    checkGitHubRequest('GET', new URL(`${API}/repos/acme/registry/pulls?state=merged`), undefined);
    checkGitHubRequest('GET', new URL(`${API}/repos/acme/registry/pulls?colour=blue`), undefined);
    checkGitHubRequest(
      'POST',
      new URL(`${API}/repos/acme/registry/releases`),
      JSON.stringify({ tag_name: 'widgets', make_latest: 'sometimes' }),
    );
    const found = takeContractViolations();
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/releases\/by-name\/widgets: GitHub's API has no such operation/);
    expect(found[1]).toMatch(/\(pulls\/list\): state=merged: data must be equal to one of the allowed values/);
    expect(found[2]).toMatch(/no query parameter colour/);
    expect(found[3]).toMatch(/repos\/create-release\): body .*make_latest/);
  });

  it('sees the requests an Octokit makes (through fetch, under nock)', async () => {
    const scope = nock(API).get('/repos/acme/registry/pulls').query({ colour: 'blue' }).reply(200, []);
    await createOctokit({ token: 't', retries: 0 }).request('GET /repos/{owner}/{repo}/pulls', {
      owner: 'acme',
      repo: 'registry',
      colour: 'blue',
    });
    scope.done();
    expect(takeContractViolations()).toEqual([expect.stringMatching(/no query parameter colour/)]);
  });

  it('holds the mocked answers to what GitHub documents it sends', () => {
    const url = new URL(`${API}/repos/acme/registry-assets/releases/1/assets`);
    checkGitHubResponse('GET', url, 200, [assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', 10)]);
    expect(takeContractViolations()).toEqual([]);
    const { digest: _, ...before } = assetBody(3001, 'widgets', 'widgets-1.0.0.tar.gz', 10);
    checkGitHubResponse('GET', url, 200, [before]);
    checkGitHubResponse('GET', url, 200, [{ ...before, digest: null, size: 'ten' }]);
    // Errors are GitHub's own shape, not checked.
    checkGitHubResponse('GET', url, 404, { message: 'Not Found' });
    const found = takeContractViolations();
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/repos\/list-release-assets\) answered 200: data\/0 must have required property 'digest'/);
    expect(found[1]).toMatch(/data\/0\/size must be integer/);
  });
});
