// The PR gate through Probot: real webhook payloads, real validate rules, GitHub's API mocked with nock.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../curator/app/app.js';
import {
  API,
  OWNER,
  REPO,
  adaptPullRequest,
  adaptRepository,
  exampleObject,
  examplePayload,
  gateOnlyDependencies,
  pullRequestObject,
  mockInstallationToken,
  serveGitObjects,
  testProbot,
} from './support/github.js';
import { createRegistry, definition } from './support/registry.js';
import { DEF, captureCheckRuns, indexFile, prFiles, pullRequestWith, reviews } from './support/pr-mocks.js';

const deps = () => gateOnlyDependencies({ now: () => new Date('2024-06-01T00:00:00Z') });

describe('the repository allow-list (GRANARY_REPOSITORIES)', () => {
  it('ignores pull requests and pushes of a repository it does not serve: no request, no check run', async () => {
    const pr = adaptPullRequest(examplePayload('pull_request', 'opened'), {
      number: 3,
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      author: 'Codertocat',
    });
    const push = adaptRepository(examplePayload('push'));
    push['ref'] = 'refs/heads/main';
    const probot = testProbot();
    const served = new Set(['acme/registry']);
    await probot.load(createApp({ ...deps(), repositories: served }));
    // Network is off and no mock is set: any request would fail the delivery.
    await probot.receive({ id: 'delivery-ignored-1', name: 'pull_request', payload: pr } as never);
    await probot.receive({ id: 'delivery-ignored-2', name: 'push', payload: push } as never);
    expect(nock.pendingMocks()).toEqual([]);
    expect(served.has(`${OWNER}/${REPO}`)).toBe(false);
  });
});

describe('granary/validate check run', () => {
  it('reports success for a valid new package, naming the operation', async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const payload = adaptPullRequest(examplePayload('pull_request', 'opened'), {
      number: 7,
      headSha: head,
      baseSha: base,
      author: 'Codertocat',
    });
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const token = mockInstallationToken(payload['installation'].id);
    const files = prFiles(7, { dir: registry.dir, commit: head });
    const index = indexFile('left-pad');
    const revs = reviews(7, []);
    const bodies: unknown[] = [];
    const check = captureCheckRuns(bodies);

    const probot = testProbot();
    await probot.load(createApp(deps()));
    await probot.receive({ id: 'delivery-1', name: 'pull_request', payload } as never);

    for (const s of [token, files, index, revs, check]) s.done();
    expect(bodies).toEqual([
      {
        name: 'granary/validate',
        head_sha: head,
        status: 'completed',
        conclusion: 'success',
        external_id: `7:${head}`,
        output: {
          title: 'Ready: new package left-pad@1.0.0',
          summary: [
            'This pull request:',
            '',
            `- **new package** \`left-pad@1.0.0\` (\`${DEF}\`)`,
            '',
            'No problems found. When this pull request is merged, the curator publishes it.',
            '',
            `Checked 1 file at \`${head.slice(0, 12)}\` against the base \`${base.slice(0, 12)}\`.`,
            'No approving review of this commit yet.',
          ].join('\n'),
        },
      },
    ]);
  });

  it('reports failure with one annotation per problem at its line', async () => {
    // Line 8 names owners without the author; line 10 depends on a package the registry does not have.
    const text = definition({
      name: 'left-pad',
      version: '1.0.0',
      location: 'github: codertocat/left-pad',
      owners: ['someone-else'],
      extra: 'dependencies:\n  no-such-package: ^1.0.0',
    });
    const { registry, base, head } = await pullRequestWith(text);
    const payload = adaptPullRequest(examplePayload('pull_request', 'synchronize'), {
      number: 8,
      headSha: head,
      baseSha: base,
      author: 'Codertocat',
    });
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const token = mockInstallationToken(payload['installation'].id);
    const files = prFiles(8, { dir: registry.dir, commit: head });
    const index = indexFile('left-pad');
    const revs = reviews(8, []);
    const bodies: Array<Record<string, any>> = [];
    const check = captureCheckRuns(bodies);

    const probot = testProbot();
    await probot.load(createApp(deps()));
    await probot.receive({ id: 'delivery-2', name: 'pull_request', payload } as never);

    for (const s of [token, files, index, revs, check]) s.done();
    expect(bodies).toHaveLength(1);
    const body = bodies[0]!;
    expect(body['conclusion']).toBe('failure');
    expect(body).toEqual({
      name: 'granary/validate',
      head_sha: head,
      status: 'completed',
      conclusion: 'failure',
      external_id: `8:${head}`,
      output: {
        title: '2 problems in 1 file',
        summary: expect.stringContaining(`- \`${DEF}:8:1: error: `),
        annotations: [
          {
            path: DEF,
            start_line: 8,
            end_line: 8,
            start_column: 1,
            end_column: 1,
            annotation_level: 'failure',
            message: expect.stringContaining('Codertocat'),
            title: 'not-owner',
          },
          {
            path: DEF,
            start_line: 10,
            end_line: 10,
            start_column: 3,
            end_column: 3,
            annotation_level: 'failure',
            message: expect.stringContaining('no-such-package'),
            title: expect.any(String),
          },
        ],
      },
    });
    expect(body['output'].summary).toContain(`- **new package** \`left-pad@1.0.0\``);
    expect(body['output'].summary).toContain('Push a fix to this branch and the check runs again.');
  });

  it('counts a trustee only when the latest review approves the commit being checked', async () => {
    const path = 'packages/admin/1.0.0.yaml';
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'admin', version: '1.0.0', location: 'github: codertocat/admin' }),
      path,
    );
    const run = async (id: string, reviewList: Array<{ login: string; state: string; commit: string }>) => {
      const payload = adaptPullRequest(examplePayload('pull_request_review', 'submitted'), {
        number: 9,
        headSha: head,
        baseSha: base,
        author: 'Codertocat',
      });
      const scope = nock(API);
      await serveGitObjects(scope, registry.dir, [base, head]);
      const token = mockInstallationToken(payload['installation'].id);
      const files = prFiles(9, { dir: registry.dir, commit: head }, path);
      const index = indexFile('admin');
      const revs = reviews(9, reviewList);
      const bodies: Array<Record<string, any>> = [];
      const check = captureCheckRuns(bodies);
      const probot = testProbot();
      await probot.load(createApp(deps()));
      await probot.receive({ id, name: 'pull_request_review', payload } as never);
      for (const s of [token, files, index, revs, check]) s.done();
      nock.cleanAll();
      return bodies[0]!;
    };
    // The trustee approved an earlier push, then asked for changes on nothing: the approval of `base` does not count.
    const stale = await run('d-stale', [{ login: 'trusty', state: 'APPROVED', commit: base }]);
    expect(stale['conclusion']).toBe('failure');
    expect(stale['output'].annotations.map((a: { title: string }) => a.title)).toEqual(['name-reserved']);
    // Approved, then a later CHANGES_REQUESTED from the same trustee wins.
    const withdrawn = await run('d-withdrawn', [
      { login: 'trusty', state: 'APPROVED', commit: head },
      { login: 'trusty', state: 'CHANGES_REQUESTED', commit: head },
    ]);
    expect(withdrawn['conclusion']).toBe('failure');
    const approved = await run('d-approved', [
      { login: 'trusty', state: 'CHANGES_REQUESTED', commit: base },
      { login: 'trusty', state: 'APPROVED', commit: head },
      { login: 'trusty', state: 'COMMENTED', commit: head },
    ]);
    expect(approved['conclusion']).toBe('success');
    expect(approved['output'].summary).toContain('Approved by @trusty (a trustee among them).');
  });

  it('greets a first-time author once, however often the event is delivered', async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const probot = testProbot();
    await probot.load(createApp(deps()));
    const comment = exampleObject('issue_comment', 'comment');
    const posted: Array<{ body: string }> = [];
    const deliver = async (id: string, action: string, existing: unknown[]) => {
      const payload = adaptPullRequest(examplePayload('pull_request', action), {
        number: 11,
        headSha: head,
        baseSha: base,
        author: 'Codertocat',
        association: 'FIRST_TIME_CONTRIBUTOR',
      });
      const scope = nock(API);
      await serveGitObjects(scope, registry.dir, [base, head]);
      // The installation token is cached by the Probot instance after the first event.
      const mocks = [
        prFiles(11, { dir: registry.dir, commit: head }),
        indexFile('left-pad'),
        reviews(11, []),
        captureCheckRuns([]),
      ];
      if (id === 'first') mocks.push(mockInstallationToken(payload['installation'].id));
      mocks.push(
        nock(API).get(`/repos/${OWNER}/${REPO}/issues/11/comments`).query({ per_page: '100' }).reply(200, existing),
      );
      if (existing.length === 0) {
        mocks.push(
          nock(API)
            .post(`/repos/${OWNER}/${REPO}/issues/11/comments`, (body) => {
              posted.push(body);
              return true;
            })
            .reply(201, { ...comment, id: 99 }),
        );
      }
      await probot.receive({ id, name: 'pull_request', payload } as never);
      for (const s of mocks) s.done();
      nock.cleanAll();
    };
    await deliver('first', 'opened', []);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatch(/^Thanks for your submission, @Codertocat! What happens next:/);
    expect(posted[0]!.body.endsWith('\n\n<!-- granary:welcome -->')).toBe(true);
    // The same delivery again: nothing at all happens (no mocks are set, and nock refuses unmocked calls).
    const unmatched: string[] = [];
    const onNoMatch = (req: { path: string }) => unmatched.push(req.path);
    nock.emitter.on('no match', onNoMatch);
    await probot.receive({
      id: 'first',
      name: 'pull_request',
      payload: adaptPullRequest(examplePayload('pull_request', 'opened'), {
        number: 11,
        headSha: head,
        baseSha: base,
        author: 'Codertocat',
        association: 'FIRST_TIME_CONTRIBUTOR',
      }),
    } as never);
    nock.emitter.off('no match', onNoMatch);
    expect(unmatched).toEqual([]);
    // Reopened later: the marker is found, no second comment.
    await deliver('second', 'reopened', [{ ...comment, id: 99, body: posted[0]!.body }]);
    expect(posted).toHaveLength(1);
  });

  it('refuses a version number the index marks unpublished, read from the index branch', async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const payload = adaptPullRequest(examplePayload('pull_request', 'opened'), {
      number: 12,
      headSha: head,
      baseSha: base,
      author: 'Codertocat',
    });
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const line = {
      name: 'left-pad',
      version: '1.0.0',
      dependencies: {},
      license: 'MIT',
      sha256: 'a'.repeat(64),
      integrity: `sha256-${Buffer.alloc(32, 0xaa).toString('base64')}`,
      size: 100,
      asset: 'left-pad/left-pad-1.0.0.tar.gz',
      commit: 'b'.repeat(40),
      ref: 'v1.0.0',
      publishedAt: '2024-01-01T00:00:00.000Z',
      revision: 1,
      unpublished: { at: '2024-01-02T00:00:00.000Z', reason: 'leaked a secret' },
    };
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      prFiles(12, { dir: registry.dir, commit: head }),
      indexFile('left-pad', `${JSON.stringify(line)}\n`),
      reviews(12, []),
    ];
    const bodies: Array<Record<string, any>> = [];
    mocks.push(captureCheckRuns(bodies));

    const probot = testProbot();
    await probot.load(createApp(deps()));
    await probot.receive({ id: 'delivery-unpublished', name: 'pull_request', payload } as never);

    for (const m of mocks) m.done();
    expect(bodies[0]!['conclusion']).toBe('failure');
    expect(bodies[0]!['output'].annotations.map((a: { title: string }) => a.title)).toEqual(['version-unpublished']);
  });

  it('runs the dry-run packer made from the base registry.yaml and annotates what it finds', async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const payload = adaptPullRequest(examplePayload('pull_request', 'opened'), {
      number: 13,
      headSha: head,
      baseSha: base,
      author: 'Codertocat',
    });
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      prFiles(13, { dir: registry.dir, commit: head }),
      indexFile('left-pad'),
      reviews(13, []),
    ];
    const bodies: Array<Record<string, any>> = [];
    mocks.push(captureCheckRuns(bodies));
    const seen: Array<{ registry: string; file: string; text: string | undefined }> = [];

    const probot = testProbot();
    await probot.load(
      createApp({
        ...deps(),
        checkPackable: (config) => async (definition, file, text) => {
          seen.push({ registry: config.name, file, text });
          return [
            {
              file,
              line: 6,
              col: 1,
              severity: 'error',
              rule: 'ref-missing',
              message: `tag ${definition.ref} not found`,
            },
          ];
        },
      }),
    );
    await probot.receive({ id: 'delivery-pack', name: 'pull_request', payload } as never);

    for (const m of mocks) m.done();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.file).toBe(DEF);
    expect(seen[0]!.text).toContain('name: left-pad');
    expect(bodies[0]!['conclusion']).toBe('failure');
    expect(bodies[0]!['output'].annotations).toEqual([
      {
        path: DEF,
        start_line: 6,
        end_line: 6,
        start_column: 1,
        end_column: 1,
        annotation_level: 'failure',
        message: 'tag v1.0.0 not found',
        title: 'ref-missing',
      },
    ]);
  });
});

describe('merge queues (merge_group events)', () => {
  it('judges the queued PR on top of the queue base with its author, and reports on the group head', async () => {
    // The queue's base already has left-pad (owned by Codertocat) from a PR merged ahead of this one.
    const { registry } = await createRegistry();
    await registry.write(
      DEF,
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const queueBase = await registry.commit('Merge pull request #12: left-pad 1.0.0');
    const path = 'packages/left-pad/2.0.0.yaml';
    await registry.write(
      path,
      definition({ name: 'left-pad', version: '2.0.0', location: 'github: codertocat/left-pad', owners: ['mallory'] }),
    );
    const groupHead = await registry.commit('Merge pull request #13 from mallory/left-pad');
    const prHead = 'e'.repeat(40);
    const payload = adaptRepository(examplePayload('merge_group', 'checks_requested'));
    payload['merge_group'] = {
      ...payload['merge_group'],
      head_sha: groupHead,
      base_sha: queueBase,
      head_ref: `refs/heads/gh-readonly-queue/main/pr-13-${queueBase}`,
    };
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [queueBase, groupHead]);
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/pulls/13`)
        .reply(200, pullRequestObject({ number: 13, author: 'mallory', headSha: prHead })),
      prFiles(13, { dir: registry.dir, commit: groupHead }, path),
      indexFile('left-pad'),
      reviews(13, [{ login: 'Codertocat', state: 'APPROVED', commit: 'f'.repeat(40) }]),
    ];
    const bodies: Array<Record<string, any>> = [];
    mocks.push(captureCheckRuns(bodies));

    const probot = testProbot();
    await probot.load(createApp(deps()));
    await probot.receive({ id: 'queue-1', name: 'merge_group', payload } as never);

    for (const m of mocks) m.done();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ name: 'granary/validate', head_sha: groupHead, conclusion: 'failure' });
    // Codertocat approved an older push of the PR, not its head: that approval does not count.
    expect(JSON.stringify(bodies[0])).toContain('only an owner of left-pad (codertocat) may publish a new version');
  });
});

describe('"Re-run" of granary/validate (check_run rerequested)', () => {
  it('reads the pull request afresh and checks its head again', async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    const payload = adaptRepository(examplePayload('check_run', 'rerequested'));
    payload['check_run'] = {
      ...payload['check_run'],
      name: 'granary/validate',
      head_sha: head,
      pull_requests: [{ number: 7, head: { sha: head }, base: { sha: base } }],
    };
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      nock(API)
        .get(`/repos/${OWNER}/${REPO}/pulls/7`)
        .reply(200, pullRequestObject({ number: 7, author: 'Codertocat', headSha: head, baseSha: base })),
      prFiles(7, { dir: registry.dir, commit: head }),
      indexFile('left-pad'),
      reviews(7, []),
    ];
    const bodies: Array<Record<string, any>> = [];
    mocks.push(captureCheckRuns(bodies));
    const probot = testProbot();
    await probot.load(createApp(deps()));
    await probot.receive({ id: 'rerun-validate-1', name: 'check_run', payload } as never);
    for (const m of mocks) m.done();
    expect(bodies).toEqual([
      expect.objectContaining({ name: 'granary/validate', head_sha: head, conclusion: 'success' }),
    ]);
  });
});

describe('a pull request that moves while it is checked', () => {
  it("reports nothing for the old head when GitHub already lists the new head's files", async () => {
    const { registry, base, head } = await pullRequestWith(
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/left-pad' }),
    );
    // The author force-pushes while the event for `head` is being handled: the files GitHub lists are the new head's.
    await registry.write(
      DEF,
      definition({ name: 'left-pad', version: '1.0.0', location: 'github: codertocat/right-pad' }),
    );
    const moved = await registry.commit('force-pushed');
    const payload = adaptPullRequest(examplePayload('pull_request', 'synchronize'), {
      number: 21,
      headSha: head,
      baseSha: base,
      author: 'Codertocat',
    });
    const scope = nock(API);
    await serveGitObjects(scope, registry.dir, [base, head]);
    const mocks = [
      mockInstallationToken(payload['installation'].id),
      prFiles(21, { dir: registry.dir, commit: moved }),
      reviews(21, []),
    ];
    const probot = testProbot();
    await probot.load(createApp(deps()));
    // No check-runs mock: a report on the stale head would fail the delivery.
    await probot.receive({ id: 'moved-1', name: 'pull_request', payload } as never);
    for (const m of mocks) m.done();
  });
});
