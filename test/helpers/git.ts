/** Real temporary git repositories for tests. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile, symlink, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './tmp.js';

const run = promisify(execFile);

/** A fixed identity and dates so commits are reproducible and no global config is needed. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export interface TestRepo {
  dir: string;
  git(...args: string[]): Promise<string>;
  write(path: string, content: string | Buffer, mode?: number): Promise<void>;
  link(path: string, target: string): Promise<void>;
  /** Stage everything and commit; returns the new commit id. */
  commit(message: string, date?: string): Promise<string>;
  tag(name: string): Promise<void>;
  head(): Promise<string>;
}

let clock = Date.parse('2024-01-01T00:00:00Z');

export async function gitIn(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** A new repository with `main` as its branch; pass `dir` to create it at a given path. */
export async function createRepo(dir?: string): Promise<TestRepo> {
  const root = dir ?? (await tempDir('granary-repo-'));
  await mkdir(root, { recursive: true });
  await gitIn(root, 'init', '-q', '-b', 'main');
  const repo: TestRepo = {
    dir: root,
    git: (...args) => gitIn(root, ...args),
    async write(path, content, mode) {
      const full = join(root, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
      if (mode !== undefined) await chmod(full, mode);
    },
    async link(path, target) {
      const full = join(root, path);
      await mkdir(dirname(full), { recursive: true });
      await symlink(target, full);
    },
    async commit(message, date) {
      clock += 60_000;
      const when = date ?? new Date(clock).toISOString();
      await gitIn(root, 'add', '-A');
      await run('git', ['commit', '-q', '--allow-empty', '-m', message], {
        cwd: root,
        env: { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
      });
      return gitIn(root, 'rev-parse', 'HEAD');
    },
    async tag(name) {
      await gitIn(root, 'tag', name);
    },
    head: () => gitIn(root, 'rev-parse', 'HEAD'),
  };
  return repo;
}
