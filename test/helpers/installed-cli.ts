/**
 * Granary as a user installs it: packed with `npm pack` (which builds it through `prepare`) and
 * installed from that tarball, or installed from a `git+file://` URL pinned to the current commit.
 * These are slow (npm, tsc), so each test file installs once, in `beforeAll`.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository this test suite belongs to. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** npm's quiet, offline-first flags: the registry is only asked for what the cache lacks. */
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** Run npm (or another command) and return its output; a failure carries npm's own words. */
export async function sh(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** `npm pack` of the project into `dir`; returns the tarball's path and the files it holds. */
export async function packProject(dir: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], {
    cwd: PROJECT_ROOT,
  });
  // `prepare` (the build) prints to stdout before npm's JSON.
  const json = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const packed = json[0]!;
  return { tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path).sort() };
}

/** `npm install -g --prefix PREFIX TARBALL`: the command lands in PREFIX/bin/granary. */
export async function installGlobal(tarball: string, prefix: string): Promise<string> {
  await mkdir(prefix, { recursive: true });
  await sh('npm', ['install', '-g', '--prefix', prefix, ...NPM_FLAGS, tarball], { cwd: prefix });
  return join(prefix, 'bin', 'granary');
}

/** The project's version, as `granary --version` must print it. */
export async function projectVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `git+file:///…#<sha>` of the project's current commit: what a workflow's GRANARY_CLI names. */
export async function projectGitSource(): Promise<string> {
  const { stdout } = await sh('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT });
  return `git+${pathToFileURL(PROJECT_ROOT).href}#${stdout.trim()}`;
}
