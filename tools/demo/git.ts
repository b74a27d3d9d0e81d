/** Git for the demo: fixed argument arrays, a fixed identity, and a clock that only moves when the demo commits. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Settings that keep the user's own git configuration out of the demo. */
export const ISOLATED_GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
} as const;

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Demo Author',
  GIT_AUTHOR_EMAIL: 'author@demo.invalid',
  GIT_COMMITTER_NAME: 'Demo Committer',
  GIT_COMMITTER_EMAIL: 'committer@demo.invalid',
} as const;

export interface DemoGit {
  /** `git <args>` in `cwd`; resolves to trimmed stdout. */
  (cwd: string, args: readonly string[]): Promise<string>;
  /** Like the call, but stamps commits with the next tick of the demo's clock. */
  commit(cwd: string, args: readonly string[]): Promise<string>;
}

/** A git runner whose commits are dated from `start`, one minute apart, so every run makes the same history. */
export function demoGit(home: string, start = Date.parse('2025-01-01T00:00:00Z')): DemoGit {
  let clock = start;
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    LC_ALL: 'C',
    ...ISOLATED_GIT_ENV,
    ...IDENTITY,
    ...extra,
  });
  const exec = async (cwd: string, args: readonly string[], extra?: Record<string, string>): Promise<string> => {
    const { stdout } = await run('git', [...args], { cwd, env: env(extra), maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  };
  const git = ((cwd: string, args: readonly string[]) => exec(cwd, args)) as DemoGit;
  git.commit = (cwd, args) => {
    clock += 60_000;
    const when = new Date(clock).toISOString();
    return exec(cwd, args, { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when });
  };
  return git;
}
