// The workflows `granary init --github` writes, run step by step in a shell as a runner would: the CLI
// installed by the workflow's own command from a git+file:// URL of this commit, a pull request checked
// and refused, then the merge curated to a Releases API on loopback and the index pushed; and a pull
// request whose objection window is over merged by the scheduled automerge, which then starts curate.yml.
import { openRegistry } from '../../client/registry.js';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexPath } from '../../core/index-path.js';
import { sha256Hex } from '../../core/hash.js';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { runJob, type JobOptions, type StepRun, type WorkflowStep } from '../helpers/actions-runner.js';
import { fakeGitHubReleases, type FakeGitHubReleases } from '../helpers/fake-github-releases.js';
import { createRepo, gitIn, GIT_ENV } from '../helpers/git.js';
import { projectGitSource } from '../helpers/installed-cli.js';
import { MIT_LICENSE } from '../helpers/license-texts.js';
import { exampleObject, pullRequestObject } from '../app/support/github.js';
import { prFileEntry } from '../app/support/pr-mocks.js';

const OWNER = 'acme';
const REPO = 'registry-assets';
const TOKEN = 'ghs_workflowtesttoken';
const INSTALL_STEP = 'Install the pinned granary CLI';

let root: string;
let origin: string;
let cliSource: string;
let runnerTemp: string;
let installedBin: string;
let validateYml: string;
let curateYml: string;
let automergeYml: string;
let registryYaml: string;
let sourceUrl: string;
let publicKey: string;
let privateKeyPem: string;
let github: FakeGitHubReleases;

/**
 * A fake `gh` that records its arguments, answers the reviews query with no approvals, and answers
 * `gh api repos/O/R/pulls/N --jq …` with the `login<TAB>head sha` line in `<dir>/pull-N` (as the --jq gives).
 */
async function fakeGh(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'gh');
  await writeFile(
    path,
    [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >> "${dir}/gh-calls"`,
      'n=$(printf "%s" "$2" | sed -nE "s#^repos/[^/]+/[^/]+/pulls/([0-9]+)\\$#\\1#p")',
      `if [ -n "$n" ] && [ -f "${dir}/pull-$n" ]; then cat "${dir}/pull-$n"; fi`,
      '',
    ].join('\n'),
  );
  await chmod(path, 0o755);
  return dir;
}

function job(
  workspace: string,
  event: Record<string, unknown>,
  skipInstall: boolean,
  secrets: Record<string, string> = {},
): JobOptions {
  return {
    workspace,
    runnerTemp,
    github: { event, repository: `${OWNER}/${REPO}`, token: TOKEN },
    secrets,
    // This machine's environment (npm's configuration and certificates live there, as on a runner), less GitHub's own variables.
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (e): e is [string, string] => e[1] !== undefined && !/^(GITHUB_|RUNNER_)/.test(e[0]),
        ),
      ),
      PATH: [join(root, 'fake-bin'), ...(skipInstall ? [installedBin] : []), process.env['PATH'] ?? ''].join(':'),
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      // Download URLs of release assets start here: the site's build reads the tarballs from the loopback fake.
      GITHUB_SERVER_URL: github.url,
      GITHUB_API_URL: github.url,
      ...GIT_ENV,
    },
    uses: {
      'actions/checkout': async (_step: WorkflowStep, inputs) => {
        expect(inputs['persist-credentials']).toBe('false');
        expect(inputs['fetch-depth']).toBe('0');
        await gitIn(root, 'clone', '-q', origin, workspace);
        if (inputs['ref']) await gitIn(workspace, 'checkout', '-q', '--detach', inputs['ref']);
      },
      // The runner's node is this machine's; the version the workflow asks for is checked, not installed.
      'actions/setup-node': async (_step, inputs) => {
        expect(inputs['node-version']).toMatch(/^\d+$/);
      },
    },
    skip: (step) => skipInstall && step.name === INSTALL_STEP,
  };
}

const failed = (runs: StepRun[]) =>
  runs.filter((r) => r.code !== 0).map((r) => `${r.name}: ${r.code}\n${r.stdout}\n${r.stderr}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'granary-workflows-'));
  runnerTemp = join(root, 'runner-temp');
  await mkdir(runnerTemp);
  await fakeGh(join(root, 'fake-bin'));
  github = await fakeGitHubReleases(OWNER, REPO, TOKEN);
  cliSource = await projectGitSource();

  const keyOut = join(root, 'keys', 'signing.pem');
  expect(await main(['keygen', '--out', keyOut], memoryIo({ cwd: root }))).toBe(0);
  privateKeyPem = await readFile(keyOut, 'utf8');
  publicKey = (await readFile(`${keyOut}.pub`, 'utf8')).trim();

  const seed = join(root, 'seed');
  const io = memoryIo({ cwd: root });
  expect(
    await main(['init', seed, '--local', '--github', `${OWNER}/${REPO}`, '--cli-source', cliSource], io),
    io.text(),
  ).toBe(0);
  registryYaml = `${await readFile(join(seed, 'registry.yaml'), 'utf8')}publicKey: ${publicKey}\n`;
  await writeFile(join(seed, 'registry.yaml'), registryYaml);
  await gitIn(seed, 'commit', '-qam', 'Pin the signing key');
  validateYml = await readFile(join(seed, '.github/workflows/validate.yml'), 'utf8');
  curateYml = await readFile(join(seed, '.github/workflows/curate.yml'), 'utf8');
  automergeYml = await readFile(join(seed, '.github/workflows/automerge.yml'), 'utf8');
  origin = join(root, 'origin.git');
  await gitIn(root, 'clone', '-q', '--bare', seed, origin);

  const source = await createRepo(join(root, 'sources', 'hello'));
  await source.write('README.md', '# hello\n');
  await source.write('src/hello.js', 'export const hello = "world";\n');
  await source.write('LICENSE', MIT_LICENSE);
  await source.commit('hello 1.0.0');
  await source.tag('v1.0.0');
  sourceUrl = pathToFileURL(source.dir).href;
}, 60_000);

afterAll(async () => {
  await github?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Push a branch to origin that adds `packages/hello/1.0.0.yaml` with `owners`; returns its head commit. */
async function pullRequest(branch: string, owners: string): Promise<string> {
  const work = join(root, `work-${branch}`);
  await gitIn(root, 'clone', '-q', origin, work);
  await gitIn(work, 'checkout', '-q', '-b', branch);
  await mkdir(join(work, 'packages', 'hello'), { recursive: true });
  const definition = [
    'name: hello',
    'version: "1.0.0"',
    'license: MIT',
    'description: Says hello',
    'location:',
    `  git: ${sourceUrl}`,
    'ref: v1.0.0',
    `owners: [${owners}]`,
    '',
  ].join('\n');
  await writeFile(join(work, 'packages', 'hello', '1.0.0.yaml'), definition);
  await gitIn(work, 'add', '-A');
  // The author commits as themselves (the seed's commits are the maintainer's): a change on main is one
  // merged pull request, not grouped with the maintainer's commits of the same second.
  execFileSync('git', ['commit', '-qm', `Add hello 1.0.0 (${branch})`], {
    cwd: work,
    env: { ...process.env, ...GIT_ENV, GIT_COMMITTER_NAME: branch, GIT_COMMITTER_EMAIL: `${branch}@example.test` },
  });
  await gitIn(work, 'push', '-q', 'origin', branch);
  return gitIn(work, 'rev-parse', 'HEAD');
}

/** The install step's text in a workflow. */
const installText = (text: string) => text.slice(text.indexOf(`- name: ${INSTALL_STEP}`)).split('\n      - ')[0];

const pullRequestEvent = (head: string, number: number) => ({
  pull_request: { number, head: { sha: head }, base: { ref: 'main' }, user: { login: 'alice' } },
});

describe('the generated workflows, run step by step', () => {
  it('validate.yml installs the pinned CLI with its own command, passes a good pull request and refuses a bad one with file:line', async () => {
    const good = await pullRequest('add-hello', 'alice');
    const runs = await runJob(validateYml, 'validate', job(join(root, 'pr-1'), pullRequestEvent(good, 1), false));
    expect(failed(runs)).toEqual([]);
    expect(runs.map((r) => r.name)).toContain(INSTALL_STEP);
    installedBin = join(runnerTemp, 'granary', 'node_modules', '.bin');
    const help = execFileSync(join(installedBin, 'granary'), ['--help'], { cwd: '/' }).toString();
    expect(help).toMatch(/Usage: granary/);
    expect(help).toMatch(/curate/);
    expect(runs.find((r) => r.name === 'granary validate')?.stdout).toMatch(/ok|no problems/i);
    expect(await readFile(join(root, 'fake-bin', 'gh-calls'), 'utf8')).toContain(
      `api --paginate repos/${OWNER}/${REPO}/pulls/1/reviews`,
    );
    expect(runs.at(-1)?.stdout).toContain('only packages/ and overrides/ changed');

    // Someone else's pull request for the same name, listing only bob: the author is not an owner.
    const bad = await pullRequest('add-hello-bob', 'bob');
    const refused = await runJob(validateYml, 'validate', job(join(root, 'pr-2'), pullRequestEvent(bad, 2), true));
    const step = refused.find((r) => r.name === 'granary validate');
    expect(step?.code).toBe(1);
    expect(`${step?.stdout}${step?.stderr}`).toMatch(/packages\/hello\/1\.0\.0\.yaml:\d+/);
    expect(refused.at(-1)?.name).toBe('granary validate');

    // The same change in a merge queue: the pull request comes from the queue's branch name, its author
    // from GitHub (here mallory, who is not among the owners), and the base is the queue's base.
    await writeFile(join(root, 'fake-bin', 'pull-2'), `mallory\t${bad}\n`);
    const mainSha = await gitIn(origin, 'rev-parse', 'refs/heads/main');
    const queued = await runJob(
      validateYml,
      'validate',
      job(
        join(root, 'queue-2'),
        {
          merge_group: {
            head_sha: bad,
            base_sha: mainSha,
            head_ref: `refs/heads/gh-readonly-queue/main/pr-2-${mainSha}`,
          },
        },
        true,
      ),
    );
    const queueStep = queued.find((r) => r.name === 'granary validate');
    expect(queueStep?.code).toBe(1);
    expect(`${queueStep?.stdout}${queueStep?.stderr}`).toMatch(/add mallory to owners/);
    expect(await readFile(join(root, 'fake-bin', 'gh-calls'), 'utf8')).toContain(
      `api repos/${OWNER}/${REPO}/pulls/2 --jq`,
    );
  }, 300_000);

  it('curate.yml publishes the merge to the Releases API, signs the index and pushes it', async () => {
    expect(installedBin, 'the validate job installs the CLI first').toBeDefined();
    // The install step is the same text in both workflows; the CLI it installed is reused, not installed twice.
    expect(installText(curateYml)).toBe(installText(validateYml));

    await gitIn(origin, 'update-ref', 'refs/heads/main', 'refs/heads/add-hello');
    // GitHub's record of the merge (the fast-forward of pull request #1 by alice), which the merge-time gate reads.
    const merged = await gitIn(origin, 'rev-parse', 'refs/heads/main');
    github.pulls.set(merged, { number: 1, author: 'alice', headSha: merged });
    const runs = await runJob(
      curateYml,
      'curate',
      job(join(root, 'curate'), { repository: { default_branch: 'main' } }, true, {
        GITHUB_TOKEN: TOKEN,
        GRANARY_SIGNING_KEY: privateKeyPem,
      }),
    );
    expect(failed(runs)).toEqual([]);
    expect(runs.find((r) => r.name === 'granary curate')?.stdout).toMatch(/published\s+hello@1\.0\.0/);
    expect(github.requests).toContain(`GET /repos/${OWNER}/${REPO}/commits/${merged}/pulls`);
    expect(github.requests).toContain(`GET /repos/${OWNER}/${REPO}/pulls/1/reviews`);

    const release = github.releases.get('hello');
    expect(release?.draft).toBe(false);
    const tarball = release?.assets.get('hello-1.0.0.tar.gz')?.bytes;
    expect(tarball?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(release?.assets.get('hello-1.0.0.tar.gz.sha256')?.bytes.toString()).toBe(
      `${sha256Hex(tarball!)}  hello-1.0.0.tar.gz\n`,
    );

    const show = async (path: string) =>
      execFileSync('git', ['cat-file', 'blob', `refs/heads/index:${path}`], { cwd: origin }).toString();
    const line = JSON.parse(await show(indexPath('hello'))) as { sha256: string; asset: string };
    expect(line.sha256).toBe(sha256Hex(tarball!));
    // The pushed index verifies under the pinned key (tuf-js, through Granary's client) and names main's commit.
    const registry = await openRegistry(origin, { cwd: root, trustKey: publicKey });
    expect(registry.snapshot.commit).toBe(await gitIn(origin, 'rev-parse', 'refs/heads/main'));
    expect((await registry.lines('hello')).map((l) => l.sha256)).toEqual([sha256Hex(tarball!)]);
    expect(runs.find((r) => r.name === 'granary index refresh')?.stdout).toMatch(/nothing to re-sign/);

    // After the index is pushed, the download counts and the website go beside it, and are pushed too.
    const names = runs.map((r) => r.name);
    expect(names.slice(names.indexOf('Push the index branch (fast-forward only)'))).toEqual([
      'Push the index branch (fast-forward only)',
      'granary stats collect',
      'granary site publish',
      'Push the download counts and the website (fast-forward only)',
    ]);
    expect(runs.find((r) => r.name === 'granary stats collect')?.stdout).toMatch(
      /index commit [0-9a-f]{12}: 0 new downloads counted \(0 in all, 1 packages\) from github:acme\/registry-assets/,
    );
    expect(github.requests).toContain(`GET /repos/${OWNER}/${REPO}/releases`);
    expect(JSON.parse(await show('stats/downloads.json'))).toMatchObject({
      format: 1,
      source: 'github-releases',
      packages: { hello: { total: 0, versions: { '1.0.0': 0 }, days: [] } },
    });
    expect(runs.find((r) => r.name === 'granary site publish')?.stdout).toMatch(
      /index commit [0-9a-f]{12}: the site of snapshot version \d+ under index:site\//,
    );
    const page = await show('site/package/hello.html');
    expect(page).toContain('<pre><code>granary install hello</code></pre>');
    // The README came from the tarball, downloaded from the release (which counted it).
    expect(page).toContain('<div class="readme">');
    expect(release?.assets.get('hello-1.0.0.tar.gz')?.downloads).toBe(1);
    expect(page).toContain('<dt>Downloads</dt><dd>0 in all, 0 in the last 30 days');
    expect(await show('site/404.html')).toContain(`href="/${REPO}/site/`);
    expect(await show('site/index.html')).toContain('<h2>Most downloaded</h2>');
    // Still a valid index: the pushed branch verifies, and the two commits after the index are fast-forwards.
    const pushed = await openRegistry(origin, { cwd: root, trustKey: publicKey });
    expect(pushed.snapshot.version).toBe(registry.snapshot.version);
  }, 120_000);

  it('automerge.yml merges a pull request whose window is over, and starts curate.yml', async () => {
    expect(installedBin, 'the validate job installs the CLI first').toBeDefined();
    expect(installText(automergeYml)).toBe(installText(validateYml));
    const R = `/repos/${OWNER}/${REPO}`;
    const dispatches = async () =>
      (await readFile(join(root, 'fake-bin', 'gh-calls'), 'utf8'))
        .split('\n')
        .filter((call) => call.startsWith('workflow run '));
    const dispatchesBefore = (await dispatches()).length;
    // GitHub's objects for an open pull request to main by alice, its granary/validate run, its comments and files.
    const open = (number: number, headSha: string, path: string, passedAt?: Date) => {
      const pr = pullRequestObject({ number, author: 'alice', headSha });
      github.pullRequests.set(number, { ...pr, base: { ...pr['base'], ref: 'main' } });
      if (passedAt !== undefined)
        github.checkRuns.set(headSha, [
          {
            ...exampleObject('check_run', 'check_run'),
            name: 'granary/validate',
            head_sha: headSha,
            status: 'completed',
            conclusion: 'success',
            completed_at: passedAt.toISOString(),
          },
        ]);
      const welcome = exampleObject('issue_comment', 'comment');
      // The app's welcome: a bot's comment holds nothing.
      github.comments.set(number, [
        { ...welcome, body: 'Welcome!', user: { ...welcome['user'], login: 'granary[bot]', type: 'Bot' } },
      ]);
      github.pullFiles.set(number, [prFileEntry(path)]);
    };
    const run = async (name: string) => {
      const workspace = join(root, name);
      // A runner's workspace exists, empty: this workflow checks nothing out.
      await mkdir(workspace);
      return runJob(
        automergeYml,
        'automerge',
        job(workspace, { schedule: '7,22,37,52 * * * *' }, true, { GITHUB_TOKEN: TOKEN }),
      );
    };
    const decisions = (runs: StepRun[]) =>
      (JSON.parse(runs.find((r) => r.name === 'granary automerge')!.stdout) as { decisions: unknown[] }).decisions;

    // registry.yaml on main turns automerge on, and lets a new name wait no time; hello is published.
    github.files.set('registry.yaml', `${registryYaml}automerge:\n  enabled: true\n  newPackageMinutes: 0\n`);
    github.files.set('packages/hello/1.0.0.yaml', 'name: hello\n');
    const head3 = '3'.repeat(40);
    open(3, head3, 'packages/greet/1.0.0.yaml', new Date(Date.now() - 60_000));

    const runs = await run('automerge-1');
    expect(failed(runs)).toEqual([]);
    expect(runs.map((r) => r.name)).not.toContain(INSTALL_STEP);
    expect(decisions(runs)).toEqual([
      expect.objectContaining({ number: 3, headSha: head3, kind: 'new-package', outcome: 'merged' }),
    ]);
    // Merged with the head it judged (GitHub refuses another with 409), by squash, registry.yaml's default.
    expect(github.requests).toContain(`PUT ${R}/pulls/3/merge`);
    expect(github.merges).toEqual([{ number: 3, sha: head3, method: 'squash' }]);
    expect(github.requests).toContain(`GET ${R}/contents/packages%2Fgreet`);
    // The merge, made with GITHUB_TOKEN, starts no push workflow: curate.yml is started on main by name.
    expect((await dispatches()).slice(dispatchesBefore)).toEqual([
      `workflow run curate.yml --repo ${OWNER}/${REPO} --ref main`,
    ]);

    // Nothing ready: a new version whose check passed just now (15 minutes to wait), and a pull request
    // whose check has not passed. Nothing merges, and curate.yml is not started.
    const head4 = '4'.repeat(40);
    const head5 = '5'.repeat(40);
    open(4, head4, 'packages/hello/1.1.0.yaml', new Date());
    open(5, head5, 'packages/greet/1.1.0.yaml');
    const waiting = await run('automerge-2');
    expect(failed(waiting)).toEqual([]);
    expect(decisions(waiting)).toEqual([
      expect.objectContaining({ number: 4, kind: 'new-version', outcome: 'waiting' }),
      expect.objectContaining({ number: 5, outcome: 'not-ready' }),
    ]);
    expect(github.requests).toContain(`GET ${R}/contents/packages%2Fhello`);
    expect(github.merges).toHaveLength(1);
    expect(waiting.at(-1)?.stdout).toContain('nothing merged');
    expect((await dispatches()).length).toBe(dispatchesBefore + 1);

    // registry.yaml without automerge.enabled: a pull request ready to merge is not even looked at.
    github.files.set('registry.yaml', `${registryYaml}automerge:\n  newPackageMinutes: 0\n`);
    open(6, '6'.repeat(40), 'packages/other/1.0.0.yaml', new Date(Date.now() - 60_000));
    const listed = github.requests.filter((r) => r === `GET ${R}/pulls`).length;
    const off = await run('automerge-3');
    expect(failed(off)).toEqual([]);
    expect(decisions(off)).toEqual([]);
    expect(github.requests.filter((r) => r === `GET ${R}/pulls`).length).toBe(listed);
    expect(github.merges).toHaveLength(1);
    expect((await dispatches()).length).toBe(dispatchesBefore + 1);
  }, 60_000);
});
