// `granary doctor` against GitHub's recorded answers (`@octokit/fixtures`: get-repository, branch-protection):
// an unprotected main and rebase merges are reported, a protected main with the required check is not.
import { createRequire } from 'node:module';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { diagnose, REQUIRED_CHECK, type RepositorySettings } from '../../curator/github/doctor.js';
import { SINCE_RECORDED } from '../stores/github-fixtures.js';

const require = createRequire(import.meta.url);
const fixtures = '@octokit/fixtures/scenarios/api.github.com';
const repository = {
  ...(require(`${fixtures}/get-repository/normalized-fixture.json`)[0].response as Record<string, unknown>),
  ...SINCE_RECORDED.repository,
};
/** The recorded protection answers, with what today's description requires and the recording predates. */
const protection = (
  require(`${fixtures}/branch-protection/normalized-fixture.json`) as Array<{ status: number; response: any }>
).map((exchange) => {
  const response = exchange.response;
  if (response?.restrictions?.teams)
    response.restrictions.teams = response.restrictions.teams.map((t: object) => ({ type: 'organization', ...t }));
  if (response?.required_pull_request_reviews)
    response.required_pull_request_reviews = {
      dismiss_stale_reviews: false,
      ...response.required_pull_request_reviews,
    };
  return exchange;
});
const API = 'https://api.github.com';
/** GitHub's answer when immutable releases are off for the repository. */
const IMMUTABLE_OFF = {
  message: 'Not Found',
  documentation_url:
    'https://docs.github.com/rest/repos/repos#check-if-immutable-releases-are-enabled-for-a-repository',
};
const env = { GITHUB_TOKEN: 'ghs_doctor' };

/** GitHub's Pages site object (the `page` schema of the API description) for a site that deploys `branch`. */
function pagesSite(branch: string, path = '/') {
  return {
    url: `${API}/repos/acme/registry/pages`,
    status: 'built',
    cname: null,
    custom_404: false,
    html_url: 'https://acme.github.io/registry/',
    build_type: 'legacy',
    source: { branch, path },
    public: true,
    https_enforced: true,
  };
}

/**
 * What doctor reads besides the settings under test, `times` over: registry.yaml on main (its index branch and
 * release layout) and the Pages site, serving the index branch unless `pages` says otherwise (null: no site).
 */
function registryAndPages(
  scope: nock.Scope,
  options: { registryYaml?: string; pages?: Record<string, unknown> | null; times?: number } = {},
): nock.Scope {
  const times = options.times ?? 1;
  scope
    .get('/repos/acme/registry/contents/registry.yaml')
    .query({ ref: 'main' })
    .times(times)
    .reply(200, options.registryYaml ?? 'name: acme\n', {
      'content-type': 'application/vnd.github.raw; charset=utf-8',
    });
  const pages = scope.get('/repos/acme/registry/pages').times(times);
  if (options.pages === null)
    pages.reply(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/pages/pages#get-a-apiname-pages-site',
    });
  else pages.reply(200, options.pages ?? pagesSite('index'));
  return scope;
}

async function doctor(): Promise<{ code: number; json: any }> {
  const io = memoryIo({ env });
  const code = await main(['doctor', '--github', 'acme/registry', '--json'], io);
  return { code, json: JSON.parse(io.text()) };
}

describe('granary doctor', () => {
  it('reports an unprotected main branch and rebase merges (the recorded 404 "Branch not protected")', async () => {
    const scope = nock(API)
      .get('/repos/acme/registry/immutable-releases')
      .reply(404, IMMUTABLE_OFF)
      .get('/repos/acme/registry')
      .reply(200, { ...repository, default_branch: 'main' })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(404, protection[0]!.response);
    registryAndPages(scope);
    const { code, json } = await doctor();
    scope.done();
    expect(code).toBe(1);
    expect(json.findings.map((f: { setting: string; severity: string }) => `${f.severity} ${f.setting}`)).toEqual([
      'advice allow_rebase_merge',
      'unsafe branch protection of main',
    ]);
  });

  it('passes a protected main that requires the check, up to date, with reviews (recorded protection shape)', async () => {
    const recorded = protection[2]!.response;
    const scope = nock(API)
      .get('/repos/acme/registry/immutable-releases')
      .reply(404, IMMUTABLE_OFF)
      .get('/repos/acme/registry')
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(200, {
        ...recorded,
        required_status_checks: {
          ...recorded.required_status_checks,
          contexts: [REQUIRED_CHECK],
          checks: [{ context: REQUIRED_CHECK, app_id: null }],
        },
        required_pull_request_reviews: {
          required_approving_review_count: 1,
          require_code_owner_reviews: true,
          dismiss_stale_reviews: false,
        },
      });
    registryAndPages(scope);
    const { code, json } = await doctor();
    scope.done();
    expect(json.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('says what each unsafe protection setting allows', () => {
    const settings: RepositorySettings = {
      defaultBranch: 'main',
      allowRebaseMerge: true,
      allowSquashMerge: false,
      allowMergeCommit: false,
      protection: { strict: false, checks: ['ci'], allowForcePushes: true, allowDeletions: true, reviews: false },
      indexBranch: 'index',
      pages: { url: undefined, source: { branch: 'index', path: '/' } },
    };
    expect(diagnose(settings).map((f) => f.setting)).toEqual([
      'merge methods',
      'allow_rebase_merge',
      'required status checks',
      'required status checks: strict',
      'allow_force_pushes',
      'allow_deletions',
      'required reviews',
    ]);
  });

  it('needs a token, and says so (exit 2)', async () => {
    const io = memoryIo({ env: {} });
    expect(await main(['doctor', '--github', 'acme/registry'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/needs a token[\s\S]*GITHUB_TOKEN/);
  });

  it('--fix protects an unprotected main and turns rebase merging off, then finds nothing unsafe', async () => {
    const recorded = protection[2]!.response;
    const sent: Record<string, any> = {};
    const scope = nock(API)
      .get('/repos/acme/registry/immutable-releases')
      .times(2)
      .reply(404, IMMUTABLE_OFF)
      .get('/repos/acme/registry')
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: true })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(404, protection[0]!.response)
      .patch('/repos/acme/registry', (body) => ((sent['repo'] = body), true))
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .put('/repos/acme/registry/branches/main/protection', (body) => ((sent['protection'] = body), true))
      .reply(200, recorded)
      // read again after fixing
      .get('/repos/acme/registry')
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(200, {
        ...recorded,
        required_status_checks: { strict: true, contexts: [REQUIRED_CHECK], checks: [] },
        required_pull_request_reviews: {
          dismiss_stale_reviews: false,
          required_approving_review_count: 1,
          require_code_owner_reviews: true,
        },
        allow_force_pushes: { enabled: false },
        allow_deletions: { enabled: false },
      });
    registryAndPages(scope, { times: 2 });
    const io = memoryIo({ env });
    const code = await main(['doctor', '--github', 'acme/registry', '--fix', '--json'], io);
    scope.done();
    const json = JSON.parse(io.text());
    expect(code).toBe(0);
    expect(json.findings).toEqual([]);
    expect(json.fixed).toHaveLength(2);
    expect(sent['repo']).toEqual({ allow_rebase_merge: false });
    expect(sent['protection']).toEqual({
      required_status_checks: { strict: true, contexts: [REQUIRED_CHECK] },
      enforce_admins: true,
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        require_code_owner_reviews: true,
      },
      restrictions: null,
      allow_force_pushes: false,
      allow_deletions: false,
    });
  });

  it('--fix adds the check to an existing rule without dropping its other checks', async () => {
    const recorded = protection[2]!.response;
    const existing = { ...recorded, required_status_checks: { strict: false, contexts: ['ci'], checks: [] } };
    let sent: Record<string, any> | undefined;
    const scope = nock(API)
      .get('/repos/acme/registry/immutable-releases')
      .times(2)
      .reply(404, IMMUTABLE_OFF)
      .get('/repos/acme/registry')
      .twice()
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(200, existing)
      .patch('/repos/acme/registry/branches/main/protection/required_status_checks', (body) => ((sent = body), true))
      .reply(200, {
        url: `${API}/repos/acme/registry/branches/main/protection/required_status_checks`,
        contexts_url: `${API}/repos/acme/registry/branches/main/protection/required_status_checks/contexts`,
        strict: true,
        contexts: ['ci', REQUIRED_CHECK],
        checks: [
          { context: 'ci', app_id: null },
          { context: REQUIRED_CHECK, app_id: null },
        ],
      })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(200, {
        ...existing,
        required_status_checks: { strict: true, contexts: ['ci', REQUIRED_CHECK], checks: [] },
      });
    registryAndPages(scope, { times: 2 });
    const io = memoryIo({ env });
    await main(['doctor', '--github', 'acme/registry', '--fix', '--json'], io);
    scope.done();
    expect(sent).toEqual({ strict: true, contexts: ['ci', REQUIRED_CHECK] });
    expect(JSON.parse(io.text()).findings.map((f: { setting: string }) => f.setting)).not.toContain(
      'required status checks',
    );
  });

  it('reports immutable releases, which stop the per-package releases at their first version', async () => {
    const scope = nock(API)
      .get('/repos/acme/registry')
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(404, protection[0]!.response)
      .get('/repos/acme/registry/immutable-releases')
      .reply(200, { enabled: true, enforced_by_owner: true });
    registryAndPages(scope);
    const { json } = await doctor();
    scope.done();
    const finding = json.findings.find((f: { setting: string }) => f.setting === 'immutable releases');
    expect(finding).toMatchObject({
      severity: 'unsafe',
      message: expect.stringContaining('enforced by the organization'),
    });
    expect(finding.fix).toMatch(/`releases: per-version` in registry.yaml/);
    expect(finding.fix).toMatch(/stores: \[github:OWNER\/REPO-assets\]/);
  });

  it('finds nothing unsafe in immutable releases when registry.yaml lays releases out per version', async () => {
    const scope = nock(API)
      .get('/repos/acme/registry')
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .get('/repos/acme/registry/branches/main/protection')
      .reply(404, protection[0]!.response)
      .get('/repos/acme/registry/immutable-releases')
      .reply(200, { enabled: true, enforced_by_owner: false });
    registryAndPages(scope, { registryYaml: 'name: acme\nreleases: per-version\n' });
    const { json } = await doctor();
    scope.done();
    const finding = json.findings.find((f: { setting: string }) => f.setting === 'immutable releases');
    expect(finding).toMatchObject({ severity: 'advice', message: expect.stringContaining('releases: per-version') });
  });

  it('advises serving the index on GitHub Pages, and --fix turns Pages on for the index branch registry.yaml names', async () => {
    const recorded = protection[2]!.response;
    const protectedMain = {
      ...recorded,
      required_status_checks: { strict: true, contexts: [REQUIRED_CHECK], checks: [] },
      required_pull_request_reviews: {
        dismiss_stale_reviews: false,
        required_approving_review_count: 1,
        require_code_owner_reviews: true,
      },
    };
    let sent: unknown;
    const scope = nock(API)
      .get('/repos/acme/registry/immutable-releases')
      .times(3)
      .reply(404, IMMUTABLE_OFF)
      .get('/repos/acme/registry')
      .times(3)
      .reply(200, { ...repository, default_branch: 'main', allow_rebase_merge: false })
      .get('/repos/acme/registry/branches/main/protection')
      .times(3)
      .reply(200, protectedMain)
      .get('/repos/acme/registry/contents/registry.yaml')
      .query({ ref: 'main' })
      .times(3)
      .reply(200, 'name: acme\nindexBranch: signed-index\n', { 'content-type': 'application/vnd.github.raw' })
      .get('/repos/acme/registry/pages')
      .times(2)
      .reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/pages/pages' })
      .post('/repos/acme/registry/pages', (body) => ((sent = body), true))
      .reply(201, pagesSite('signed-index'))
      .get('/repos/acme/registry/pages')
      .reply(200, pagesSite('signed-index'));
    const before = await (async () => {
      const io = memoryIo({ env });
      const code = await main(['doctor', '--github', 'acme/registry', '--json'], io);
      return { code, json: JSON.parse(io.text()) };
    })();
    expect(before.code).toBe(0);
    expect(before.json.findings).toEqual([
      expect.objectContaining({
        severity: 'advice',
        setting: 'GitHub Pages',
        message: expect.stringContaining('the signed-index branch is not served on GitHub Pages'),
      }),
    ]);
    const io = memoryIo({ env });
    await main(['doctor', '--github', 'acme/registry', '--fix', '--json'], io);
    scope.done();
    expect(sent).toEqual({ build_type: 'legacy', source: { branch: 'signed-index', path: '/' } });
    const after = JSON.parse(io.text());
    expect(after.fixed).toEqual(['GitHub Pages: serving the signed-index branch']);
    expect(after.findings).toEqual([]);
  });

  it('leaves a Pages site that serves something else alone, and says clients cannot read the index there', () => {
    const settings: RepositorySettings = {
      defaultBranch: 'main',
      allowRebaseMerge: false,
      allowSquashMerge: true,
      allowMergeCommit: false,
      protection: {
        strict: true,
        checks: [REQUIRED_CHECK],
        allowForcePushes: false,
        allowDeletions: false,
        reviews: true,
      },
      indexBranch: 'index',
      pages: { url: 'https://acme.github.io/registry/', source: { branch: 'main', path: '/docs' } },
    };
    expect(diagnose(settings)).toEqual([
      expect.objectContaining({
        setting: 'GitHub Pages',
        message: expect.stringContaining('serves main/docs, not the index branch'),
      }),
    ]);
  });
});
