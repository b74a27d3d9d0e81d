/** A local repository as the curator uses it: git commands run in it, and one object reader for the whole run. */
import { UsageError } from '../../core/errors.js';
import { CatFile } from '../../core/git/cat-file.js';
import { gitRunner, type GitCallOptions, type GitResult, type GitRunner } from '../../core/git/run.js';

/** How a repository runs git, and the hint its errors give. */
export interface GitOptions {
  /** Runs git (default: real processes); tests inject one to watch or refuse calls. */
  runner?: GitRunner;
  /** The deadline of each call and of each object read (default 30 s). */
  timeoutMs?: number;
  /** No user configuration at all (see core/git/env.ts): for repositories of package sources. */
  isolated?: boolean;
  /** With `isolated`, an empty directory to use as HOME (Windows has no /dev/null to point it at). */
  home?: string;
  /** Where PATH, proxy and CA settings come from (default: process.env at the time of each call). */
  inherit?: NodeJS.ProcessEnv;
  /** The fix shown when a command fails in this repository. */
  hint?: string;
}

/** The fix for a failing command in the registry repository given with --repo. */
export const REGISTRY_REPO_HINT = 'check that --repo names a git repository of the registry';

/** Reads blobs by id or `<rev>:<path>` through the repository's one `git cat-file --batch`. */
export type BlobReader = Pick<CatFile, 'read'>;

/** A repository the curator reads and (through plumbing only) writes; close() it when the run is over. */
export class Git {
  private reader: CatFile | undefined;
  private format: 'sha1' | 'sha256' | undefined;

  constructor(
    readonly dir: string,
    private readonly options: GitOptions = {},
  ) {}

  /** Run `git <args>` here; rejects with a GitError on a failure exit, timeout or too much output. */
  run(args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
    const { runner = gitRunner, timeoutMs, hint } = this.options;
    return runner.run(this.dir, args, {
      ...this.environment(),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(hint === undefined ? {} : { hint }),
      ...options,
    });
  }

  /** Standard output as trimmed text. */
  async text(args: readonly string[], options: GitCallOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout.toString('utf8').trim();
  }

  /** The repository's one `git cat-file --batch`, started on first use: every object and ref read of a run goes through it. */
  get objects(): CatFile {
    const { runner, timeoutMs } = this.options;
    this.reader ??= new CatFile(this.dir, {
      ...this.environment(),
      ...(runner === undefined ? {} : { runner }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    return this.reader;
  }

  /** Refuse (a UsageError at the directory, with `hint`) when the directory is not a git repository. */
  async requireRepository(hint: string): Promise<void> {
    try {
      await this.run(['rev-parse', '--git-dir'], { timeoutMs: 10_000 });
    } catch (cause) {
      throw new UsageError(`${this.dir} is not a git repository`, { where: this.dir, hint, cause });
    }
  }

  /** The commit `ref` points at (tags peeled), or undefined when there is none. */
  async resolveRef(ref: string): Promise<string | undefined> {
    const id = await this.objects.commitId(ref);
    if (id !== undefined) this.format ??= id.length === 64 ? 'sha256' : 'sha1';
    return id;
  }

  /** The repository's object hash: known from any id read here, else asked once. */
  async objectFormat(): Promise<'sha1' | 'sha256'> {
    if (this.format === undefined) {
      const { stdout, code } = await this.run(['rev-parse', '--show-object-format'], { okCodes: [128] });
      this.format = code === 0 && stdout.toString('utf8').trim() === 'sha256' ? 'sha256' : 'sha1';
    }
    return this.format;
  }

  private environment(): Pick<GitCallOptions, 'isolated' | 'home' | 'inherit'> {
    const { isolated, home, inherit } = this.options;
    return {
      ...(isolated === undefined ? {} : { isolated }),
      ...(home === undefined ? {} : { home }),
      ...(inherit === undefined ? {} : { inherit }),
    };
  }

  /** Stop the object reader. */
  close(): void {
    this.reader?.close();
    this.reader = undefined;
  }
}
