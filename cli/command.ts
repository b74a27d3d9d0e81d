/** The shape every command shares: `--json`, `--quiet`, `--verbose`, exit codes 0/1/2, and errors printed with their fix. */
import type { Command } from 'commander';
import { exitCodeOf, formatError, GranaryError } from '../core/errors.js';
import type { Io } from './io.js';

/** What a command's work returns: `text` for people, `json` for `--json`, exit 1 when a check failed. */
export interface CommandResult {
  ok: boolean;
  text: string;
  json: unknown;
}

/** How much the running command prints: its own `--json`, and the program's `--quiet` and `--verbose`. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

export interface CommandContext {
  io: Io;
  /** Set by the action; `main` returns it. */
  exitCode: number;
  /** Set by `runAction` before the command's work runs. */
  output: OutputOptions;
}

/** A context for one run of the program. */
export function createContext(io: Io): CommandContext {
  return { io, exitCode: 0, output: { json: false, quiet: false, verbose: false } };
}

/** Where `--verbose` detail goes (each step, each git call): stderr with `--verbose`, nowhere otherwise. */
export function verboseLog(ctx: CommandContext): ((line: string) => void) | undefined {
  return ctx.output.verbose ? (line) => ctx.io.stderr(`${line}\n`) : undefined;
}

/** Where a command's step lines go: stderr, unless `--json` keeps it quiet (`--verbose` overrides that). */
export function stepLog(ctx: CommandContext): ((line: string) => void) | undefined {
  return ctx.output.json && !ctx.output.verbose ? undefined : (line) => ctx.io.stderr(`${line}\n`);
}

/** Wrap a command's work: prints its result in the chosen form and records the exit code. */
export function runAction<A extends unknown[]>(
  ctx: CommandContext,
  work: (...args: A) => Promise<CommandResult>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const flags = command.optsWithGlobals();
    const output = { json: flags.json === true, quiet: flags.quiet === true, verbose: flags.verbose === true };
    const io = ctx.io;
    ctx.output = output;
    // --quiet: what the work writes to stderr (warnings, progress, steps) is dropped; errors are printed here.
    if (output.quiet) ctx.io = { ...io, stderr: () => undefined };
    try {
      const result = await work(...args);
      if (output.json) io.stdout(`${JSON.stringify(result.json, null, 2)}\n`);
      else if (result.text && (!output.quiet || !result.ok))
        io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      ctx.exitCode = result.ok ? 0 : 1;
    } catch (error) {
      ctx.exitCode = reportError(io, error, output.json);
    } finally {
      ctx.io = io;
    }
  };
}

/**
 * Print a failure (as JSON on stdout with `--json`, else with its fix on stderr) and return its exit code:
 * the error's own, 2 for an unexpected one. With GRANARY_DEBUG, the stack of what was unexpected follows.
 */
export function reportError(io: Io, error: unknown, json: boolean): 1 | 2 {
  if (json) {
    const body =
      error instanceof GranaryError
        ? error.toJSON()
        : { error: 'internal', message: String((error as Error)?.message ?? error) };
    io.stdout(`${JSON.stringify({ ok: false, ...body }, null, 2)}\n`);
  } else {
    io.stderr(`${formatError(error)}\n`);
  }
  if (debugging(io.env)) for (const stack of unexpectedStacks(error)) io.stderr(`${stack}\n`);
  return error instanceof GranaryError ? exitCodeOf(error) : 2;
}

/** GRANARY_DEBUG set to anything but empty or 0. */
function debugging(env: NodeJS.ProcessEnv): boolean {
  const value = env.GRANARY_DEBUG;
  return value !== undefined && value !== '' && value !== '0';
}

/** The stack of an unexpected error; for one of Granary's, the stacks of the causes it wraps. */
function unexpectedStacks(error: unknown): string[] {
  if (!(error instanceof GranaryError)) return [(error as Error)?.stack ?? String(error)];
  const stacks: string[] = [];
  for (let cause = error.cause; cause != null && stacks.length < 8; cause = (cause as Error).cause)
    stacks.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  return stacks;
}
