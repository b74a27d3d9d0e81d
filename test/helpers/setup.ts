// Every test file: no network but loopback, no leftover HTTP mocks between tests, and every request to
// GitHub checked against GitHub's published API description.
import nock from 'nock';
import { afterEach } from 'vitest';
import { checkGitHubRequests, takeContractViolations } from './github-contract.js';

nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
checkGitHubRequests();

afterEach(() => {
  nock.cleanAll();
  const violations = takeContractViolations();
  if (violations.length > 0)
    throw new Error(`requests GitHub's API description does not allow:\n${violations.join('\n')}`);
});
