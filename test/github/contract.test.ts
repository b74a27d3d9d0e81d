// The contract check every test runs under: requests GitHub's API description does not allow are caught.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../curator/github/octokit.js';
import { checkGitHubRequest, takeContractViolations } from '../helpers/github-contract.js';

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
});
