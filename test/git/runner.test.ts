// core/git/run.ts, the one place git starts: deadlines that stop the whole process group, output caps, and an environment nothing inherited can redirect.
import { TEST_KEY } from '../helpers/keys.js';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitError, UsageError } from '../../core/errors.js';
import { gitConfigArgs, gitEnv } from '../../core/git/env.js';
import { runGit } from '../../core/git/run.js';
import { curate } from '../../curator/curate/curate.js';
import { Git } from '../../curator/git/repository.js';
import { gitTree } from '../../curator/git/tree.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

/** Whether process `pid` is gone (or a zombie nobody reaped yet: it runs no more). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && /^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('the git runner', () => {
  it('stops a call that runs past its deadline', async () => {
    const repo = await createRepo();
    // Opening a named pipe nobody writes to blocks forever: a stand-in for a hanging server.
    const fifo = join(repo.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const error = await runGit(repo.dir, ['hash-object', '--', fifo], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('kills the whole process group at the deadline: a grandchild holding stdout open dies too', async () => {
    const bin = await tempDir('granary-fake-git-');
    const pidFile = join(bin, 'grandchild.pid');
    // A "git" that starts a long sleep sharing its stdout (as git does with remote-https), then waits for it.
    await writeFile(join(bin, 'git'), `#!/bin/sh\nsleep 30 &\necho $! > '${pidFile}'\nwait\n`);
    await chmod(join(bin, 'git'), 0o755);
    process.env['PATH'] = `${bin}:${process.env['PATH'] ?? ''}`;

    const started = Date.now();
    const error = await runGit(bin, ['fetch', 'https://example.invalid/r.git'], { timeoutMs: 400 }).catch(
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).reason).toBe('timeout');
    expect((error as GitError).message).toMatch(/git fetch did not finish within 400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
    const grandchild = Number((await readFile(pidFile, 'utf8')).trim());
    expect(await until(() => gone(grandchild), 2000), `process ${grandchild} still runs`).toBe(true);
  });

  it('caps the output of a call', async () => {
    const repo = await createRepo();
    await repo.write('big', Buffer.alloc(100_000, 97));
    await repo.commit('big');
    const error = await runGit(repo.dir, ['cat-file', 'blob', 'HEAD:big'], { maxOutputBytes: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).reason).toBe('output');
  });

  it('says so when git is not on PATH', async () => {
    const repo = await createRepo();
    process.env['PATH'] = await tempDir('granary-empty-path-');
    await expect(runGit(repo.dir, ['status'])).rejects.toBeInstanceOf(UsageError);
  });

  it('reports a failure with git’s own first line, its exit code and the hint', async () => {
    const repo = await createRepo();
    const error = (await runGit(repo.dir, ['rev-parse', '--verify', 'no-such-branch'], { hint: 'fix it' }).catch(
      (e: unknown) => e,
    )) as GitError;
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({
      code: 'git',
      exitCode: 2,
      reason: 'exit',
      exit: 128,
      hint: 'fix it',
      where: repo.dir,
    });
    expect(error.message).toMatch(/^git rev-parse failed \(exit 128\): fatal: /);
  });
});

describe('the environment git runs in', () => {
  it('keeps only PATH, proxy and CA settings, and sets what Granary means', () => {
    const env = gitEnv({
      isolated: true,
      protocols: ['https'],
      inherit: {
        PATH: '/bin',
        HOME: '/home/someone',
        GIT_SSH_COMMAND: 'evil',
        GIT_DIR: '/x',
        GIT_WORK_TREE: '/x',
        GIT_INDEX_FILE: '/x/index',
        GIT_OBJECT_DIRECTORY: '/x/objects',
        GIT_ALTERNATE_OBJECT_DIRECTORIES: '/x/objects',
        GIT_CONFIG_GLOBAL: '/x/config',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'core.hooksPath',
        GIT_CONFIG_VALUE_0: '/x/hooks',
        GIT_EXEC_PATH: '/x/libexec',
        GIT_CEILING_DIRECTORIES: '/',
        HTTPS_PROXY: 'http://proxy:3128',
        GITHUB_TOKEN: 'secret',
      },
    });
    expect(env).toEqual({
      PATH: '/bin',
      HTTPS_PROXY: 'http://proxy:3128',
      HOME: '/dev/null',
      XDG_CONFIG_HOME: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ALLOW_PROTOCOL: 'https',
      GIT_PROTOCOL_FROM_USER: '0',
      GIT_NO_REPLACE_OBJECTS: '1',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_PAGER: 'cat',
      LC_ALL: 'C',
      LANG: 'C',
    });
    // Without isolation the user's own configuration (HOME) is kept, and nothing else changes.
    expect(gitEnv({ inherit: { PATH: '/bin', HOME: '/home/someone', GIT_DIR: '/x' } })).toMatchObject({
      HOME: '/home/someone',
      GIT_ALLOW_PROTOCOL: '',
    });
  });

  it('turns off hooks, fsmonitor and every transport not allowed', () => {
    const args = gitConfigArgs({ protocols: ['file'], inherit: {} });
    const settings = args.filter((_, i) => i % 2 === 1);
    expect(args.filter((_, i) => i % 2 === 0).every((a) => a === '-c')).toBe(true);
    expect(settings).toEqual(
      expect.arrayContaining([
        'core.hooksPath=/dev/null',
        'core.fsmonitor=false',
        'protocol.allow=never',
        'protocol.file.allow=always',
      ]),
    );
    expect(settings).not.toContain('protocol.https.allow=always');
  });

  it('reads the repository it was given, whatever GIT_DIR and friends in the environment say', async () => {
    const mine = await createRepo();
    await mine.write(
      'registry.yaml',
      `name: mine\npublicKey: ${TEST_KEY.publicKey}\nsources:\n  schemes: [https, file]\n  hosts: [github.com]\n`,
    );
    const myHead = await mine.commit('mine');
    const other = await createRepo();
    await other.write('registry.yaml', 'name: other\n');
    const otherHead = await other.commit('other');

    process.env['GIT_DIR'] = join(other.dir, '.git');
    process.env['GIT_WORK_TREE'] = other.dir;
    process.env['GIT_OBJECT_DIRECTORY'] = join(other.dir, '.git', 'objects');
    process.env['GIT_INDEX_FILE'] = join(other.dir, '.git', 'index');

    expect((await runGit(mine.dir, ['rev-parse', 'HEAD'])).stdout.toString().trim()).toBe(myHead);
    const git = new Git(mine.dir);
    try {
      expect(await git.resolveRef('HEAD')).toBe(myHead);
      const tree = await gitTree(git, 'HEAD');
      expect((await tree.read('registry.yaml'))?.toString()).toMatch(/^name: mine/);
    } finally {
      git.close();
    }
    // `granary curate --repo mine` with GIT_DIR pointing elsewhere once curated the other repository's HEAD.
    const report = await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: mine.dir, stores: [], dryRun: true });
    expect(report.curatedCommit).toBe(myHead);
    expect(report.curatedCommit).not.toBe(otherHead);
  });
});
