/** What the demo's steps share: the working directory, its layout, the runners, and what earlier steps produced. */
import { join } from 'node:path';
import { demoGit, type DemoGit } from './git.js';
import { granaryRunner, type CliRun } from './granary.js';
import type { StaticServer } from './static-server.js';

/** A step's check did not hold; the message says what was expected and what happened. */
export class DemoCheckFailed extends Error {
  override name = 'DemoCheckFailed';
}

/** Fail the current step with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DemoCheckFailed(message);
}

/** Where everything lives, relative paths as the printed commands use them (the demo runs in `root`). */
export const LAYOUT = {
  registry: 'registry',
  keys: 'keys',
  signingKey: 'keys/signing.pem',
  sources: 'src',
  site: 'site',
  siteIndex: 'site/index',
  store: 'site/assets',
  clone: 'registry-clone',
  mirror: 'mirror',
  cache: 'cache',
  home: 'home',
  /** The registry's website (step 10), unless the demo was told to keep it elsewhere. */
  website: 'website',
} as const;

export interface DemoState {
  publicKey?: string;
  /** The registry's HTTP server (index/ and assets/). */
  server?: StaticServer;
  mirrorServer?: StaticServer;
  /** sha256 of each published version, as curate printed it: `name@version` → hex. */
  published?: Map<string, string>;
}

export interface DemoContext {
  /** The demo's temporary directory; every command runs here. */
  root: string;
  /** Where the registry's website is built: absolute, inside `root` or outside it (to outlive the demo). */
  websiteDir: string;
  log: (line: string) => void;
  git: DemoGit;
  state: DemoState;
  /** Absolute path of a path relative to `root`. */
  path(relative: string): string;
  /** Run `granary <args>` in `root`, printing the command line and the output lines `show` keeps. */
  granary(args: string[], show?: (line: string) => boolean): Promise<CliRun>;
  /** Print a command a person would type (not run by this call). */
  command(line: string): void;
  /** Print what a person would do by hand that is not a command (editing a file, starting a server). */
  note(line: string): void;
  /** Print output lines, indented under the command (at most `max`). */
  output(lines: string | string[], max?: number): void;
}

const MAX_LINES = 24;

/** Set up a context in `root` (which must exist); the commands see only the environment set here, all inside `root`. */
export function createContext(
  root: string,
  log: (line: string) => void,
  websiteDir = join(root, LAYOUT.website),
): DemoContext {
  const path = (relative: string) => join(root, relative);
  const env: NodeJS.ProcessEnv = {
    HOME: path(LAYOUT.home),
    XDG_CACHE_HOME: path(LAYOUT.cache),
    GRANARY_CACHE: path(`${LAYOUT.cache}/default`),
  };
  const run = granaryRunner(root, env);
  const output = (lines: string | string[], max = MAX_LINES): void => {
    const list = (typeof lines === 'string' ? lines.split('\n') : lines).filter((l) => l.trim() !== '');
    for (const line of list.slice(0, max)) log(`       ${line}`);
    if (list.length > max) log(`       … (${list.length - max} more lines)`);
  };
  const command = (line: string): void => log(`   $ ${line}`);
  return {
    root,
    websiteDir,
    log,
    git: demoGit(path(LAYOUT.home)),
    state: {},
    path,
    command,
    note: (line) => log(`   # ${line}`),
    output,
    async granary(args, show) {
      command(['granary', ...args.map(quoteArg)].join(' '));
      const result = await run(args);
      const lines = result.text.split('\n');
      output(show ? lines.filter(show) : lines);
      return result;
    },
  };
}

/** Quote an argument the way a shell user would type it. */
export function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A short description of a failed command for a check message. */
export function described(run: CliRun): string {
  const lines = run.text.split('\n').filter((l) => l.trim() !== '');
  const telling = lines.filter((l) => /error|refused|fail|mismatch|warning/i.test(l));
  const text = (telling.length > 0 ? telling : lines).slice(0, 4).join(' | ');
  return `granary ${run.args[0] ?? ''} exited ${run.code}${text ? `: ${text}` : ''}`;
}
