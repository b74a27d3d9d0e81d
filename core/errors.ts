/** One error hierarchy for the whole project: every user-facing error says what, where, and what to do. */

/** A finding about one place in one file, as `granary validate` and the check run report it. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning';
  rule: string;
  message: string;
}

export interface ErrorDetails {
  /** Where the problem is: `file:line`, `package@version`, a URL or a path. */
  where?: string;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
  /**
   * A failure of the moment (network, DNS, timeout, 5xx, rate limit, store outage, disk full), not of the
   * input: the run stops, loses nothing, and the same command run again can succeed.
   */
  temporary?: boolean;
}

/**
 * Base class: `code` is stable for machines, `exitCode` follows the CLI contract. 1: what was read is
 * wrong (a definition, the index, a signature, a tarball, a request nothing satisfies, a failed check).
 * 2: how the command was called or where it ran (flags, configuration, git, the disk, the network, a
 * server); a `temporary` failure is always 2, whatever its class.
 */
export class GranaryError extends Error {
  readonly code: string = 'granary';
  readonly exitCode: 1 | 2 = 1;
  readonly where: string | undefined;
  readonly hint: string | undefined;
  /** The input is not at fault: retry (see `ErrorDetails.temporary`). */
  readonly temporary: boolean;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.where = details.where;
    this.hint = details.hint;
    this.temporary = details.temporary ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      where: this.where,
      hint: this.hint,
      ...(this.temporary ? { temporary: true } : {}),
    };
  }
}

/** Bad flags, missing configuration, an unusable environment. */
export class UsageError extends GranaryError {
  override readonly code: string = 'usage';
  override readonly exitCode = 2 as const;
}

/** Input that breaks a rule: a definition, an override, registry.yaml, an index file. */
export class InputError extends GranaryError {
  override readonly code: string = 'invalid-input';
}

/** A validation run found problems; carries them all. */
export class ValidationFailed extends GranaryError {
  override readonly code = 'validation-failed';
  constructor(
    readonly problems: Problem[],
    details: ErrorDetails = {},
  ) {
    super(`${problems.filter((p) => p.severity === 'error').length} problem(s) found`, details);
  }
}

/** Reading a source (a package's git repository, a registry's index) failed or what it holds was refused; unreachable or timed out is `temporary`. */
export class SourceError extends GranaryError {
  override readonly code = 'source';
}

export interface GitErrorDetails extends ErrorDetails {
  /** `exit`: git exited with a failure code; `timeout`, `output`, `aborted`: Granary stopped it; `spawn`: it did not start. */
  reason: 'exit' | 'timeout' | 'output' | 'aborted' | 'spawn';
  /** git's exit code, when it exited by itself. */
  exit?: number;
  /** The start of git's standard error. */
  stderr?: string;
}

/** git failed, ran out of time or printed too much: the repository or the machine, not the input. */
export class GitError extends GranaryError {
  override readonly code = 'git';
  override readonly exitCode = 2 as const;
  readonly reason: GitErrorDetails['reason'];
  readonly exit: number | undefined;
  readonly stderr: string;

  constructor(message: string, details: GitErrorDetails) {
    super(message, details);
    this.reason = details.reason;
    this.exit = details.exit;
    this.stderr = details.stderr ?? '';
  }
}

/** A registry limit (size, file count, path length, packages per PR) was exceeded. */
export class LimitError extends GranaryError {
  override readonly code = 'limit';
}

/** Bytes did not match the hash or size they were published with. */
export class IntegrityError extends GranaryError {
  override readonly code = 'integrity';
}

/** A published asset exists with different bytes: never overwritten. */
export class AssetConflictError extends GranaryError {
  override readonly code = 'asset-conflict';
}

/** Signature, key pinning or rollback checks failed. */
export class TrustError extends GranaryError {
  override readonly code = 'trust';
}

/** A tarball that would write outside its target, or exceeds extraction caps. */
export class UnsafeArchiveError extends GranaryError {
  override readonly code = 'unsafe-archive';
}

/** No set of versions satisfies the request; the message is the human explanation. */
export class ResolutionError extends GranaryError {
  override readonly code = 'resolution';
}

/** A release store (fs or GitHub) failed: its directory, its permissions, GitHub's answer; the machine, not the input. */
export class StoreError extends GranaryError {
  override readonly code: string = 'store';
  override readonly exitCode = 2 as const;
}

/** GitHub answered with an error; status and body kept for the report. */
export class GitHubApiError extends StoreError {
  override readonly code = 'github-api';
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
    details: ErrorDetails = {},
  ) {
    super(message, details);
  }
}

/** Another curator run holds the index, or the index moved under us: run again. */
export class ConcurrencyError extends GranaryError {
  override readonly code = 'concurrency';
  override readonly exitCode = 2 as const;
  override readonly temporary = true;
}

/**
 * The exit code of a failure: 2 (environment) for a temporary one, else its class's. The table in
 * docs/cli-reference.md is generated from the classes (tools/docs/cli-reference.ts).
 */
export function exitCodeOf(error: GranaryError): 1 | 2 {
  return error.temporary ? 2 : error.exitCode;
}

/** One line for a person: message, then where and the fix on their own lines. */
export function formatError(error: unknown): string {
  if (error instanceof GranaryError) {
    const lines = [`error: ${error.message}`];
    if (error.where) lines.push(`  at: ${error.where}`);
    if (error.hint) lines.push(`  fix: ${error.hint}`);
    if (error.temporary) lines.push('  retry: this failure is temporary; nothing was lost, run the same command again');
    return lines.join('\n');
  }
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}

/** The `file:line:col: error: message [rule]` line of the validate contract. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message} [${p.rule}]`;
}

/** Show at most `max` characters of untrusted input, escaping control characters. */
export function shown(input: unknown, max = 80): string {
  const text = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
  const escaped = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return escaped;
}
