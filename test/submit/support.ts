// What the `granary submit` tests share: real package repositories and registry clones, and GitHub's recorded answers.
import { createRequire } from 'node:module';
import { createOctokit } from '../../curator/github/octokit.js';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { exampleObject, pullRequestObject } from '../app/support/github.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { SINCE_RECORDED } from '../stores/github-fixtures.js';

export const API = 'https://api.github.com';
const require = createRequire(import.meta.url);
export const fixture = (name: string) =>
  require(`@octokit/fixtures/scenarios/api.github.com/${name}/normalized-fixture.json`) as Array<{
    response: any;
    headers: Record<string, string>;
  }>;
/** The recorded repository, with the fields GitHub's description added since. */
export const repository = () => ({ ...fixture('get-repository')[0]!.response, ...SINCE_RECORDED.repository });
/** GET /repos/example-org/registry for a token that may push. */
export const registryRepository = () => ({
  ...repository(),
  default_branch: 'main',
  permissions: { admin: false, push: true, pull: true },
});
/** GET /user for Codertocat: a webhook example's user, with the public profile fields /user adds. */
export const user = () => ({
  ...exampleObject('pull_request', 'pull_request')['user'],
  login: 'Codertocat',
  type: 'User',
  name: 'Codertocat',
  company: null,
  blog: '',
  location: null,
  email: null,
  hireable: null,
  bio: null,
  public_repos: 2,
  public_gists: 0,
  followers: 0,
  following: 0,
  created_at: '2018-01-01T00:00:00Z',
  updated_at: '2024-01-01T00:00:00Z',
});
/** POST /pulls: GitHub's pull request object for the one opened. */
export const openedPull = (number: number) => ({
  ...pullRequestObject({ number, author: 'Codertocat', headSha: '0'.repeat(40) }),
  html_url: `https://github.com/example-org/registry/pull/${number}`,
});
/** GET /contents/{dir}: a folder listing, each entry the recorded one (get-content #0) moved to `dir/name`. */
export const folderListing = (dir: string, names: string[]) =>
  names.map((name) => {
    const recorded = fixture('get-content')[0]!.response[0];
    const self = `${API}/repos/example-org/registry/contents/${dir}/${name}?ref=main`;
    const html = `https://github.com/example-org/registry/blob/main/${dir}/${name}`;
    const git = `${API}/repos/example-org/registry/git/blobs/${recorded.sha}`;
    return {
      ...recorded,
      name,
      path: `${dir}/${name}`,
      url: self,
      html_url: html,
      git_url: git,
      download_url: `https://raw.githubusercontent.com/example-org/registry/main/${dir}/${name}`,
      _links: { self, git, html },
    };
  });
/** The headers GitHub answers a raw file read with (get-content #1). */
export const rawHeaders = () => ({ 'content-type': fixture('get-content')[1]!.headers['content-type']! });
/** A 404 as GitHub answers it. */
export const notFound = {
  message: 'Not Found',
  documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
};

export const github = () => createOctokit({ token: 'ghp_test', retryBaseMs: 1, writeIntervalMs: 0 });

export const MANIFEST =
  'name: left-pad\ndescription: Pads strings on the left.\nlicense: MIT\ndependencies:\n  string-utils: ^2.0.0\nkeywords: [strings]\n';

export interface PackageRepoOptions {
  manifest?: string;
  tag?: string;
  /** `[name, url]`, or null for a repository without any remote. */
  remote?: [string, string] | null;
}

/** A package repository with its manifest, one commit and an annotated tag. */
export async function packageRepo(options: PackageRepoOptions = {}): Promise<{ repo: TestRepo; commit: string }> {
  const repo = await createRepo();
  await repo.write('granary.yaml', options.manifest ?? MANIFEST);
  await repo.write('index.js', 'export {};\n');
  const tag = options.tag ?? 'v1.2.0';
  const commit = await repo.commit(`release ${tag}`);
  await repo.git('tag', '-a', tag, '-m', tag);
  const remote = options.remote === undefined ? ['origin', 'git@github.com:codertocat/left-pad.git'] : options.remote;
  if (remote) await repo.git('remote', 'add', remote[0]!, remote[1]!);
  return { repo, commit };
}

/** A clone of a registry holding `files`, with the identity its owner committed with. */
export async function registryClone(files: Record<string, string>): Promise<TestRepo> {
  const repo = await createRepo();
  await repo.git('config', 'user.name', 'Registry User');
  await repo.git('config', 'user.email', 'registry-user@example.test');
  await repo.write('registry.yaml', 'name: example\n');
  for (const [path, text] of Object.entries(files)) await repo.write(path, text);
  await repo.commit('registry');
  return repo;
}

/** Run `granary <args>` in `cwd` with `env`; the exit code and what it printed. */
export async function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo({ cwd, env });
  const code = await main(args, io);
  return { code, out: io.text(), err: io.err.join('') };
}
