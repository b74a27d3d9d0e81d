/** The shape every command shares: `--json`, exit codes 0/1/2, and errors printed with their fix. */
import type { Command } from 'commander';
import { exitCodeOf, formatError, GranaryError } from '../core/errors.js';
import type { Io } from './io.js';

/** What a command's work returns: `text` for people, `json` for `--json`, exit 1 when a check failed. */
export interface CommandResult {
  ok: boolean;
  text: string;
  json: unknown;
}

export interface CommandContext {
  io: Io;
  /** Set by the action; `main` returns it. */
  exitCode: number;
}

/** Wrap a command's work: prints its result in the chosen form and records the exit code. */
export function runAction<A extends unknown[]>(
  ctx: CommandContext,
  work: (...args: A) => Promise<CommandResult>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const json = Boolean(command.opts().json);
    try {
      const result = await work(...args);
      if (json) ctx.io.stdout(`${JSON.stringify(result.json, null, 2)}\n`);
      else if (result.text) ctx.io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      ctx.exitCode = result.ok ? 0 : 1;
    } catch (error) {
      ctx.exitCode = error instanceof GranaryError ? exitCodeOf(error) : 2;
      if (json) {
        const body =
          error instanceof GranaryError
            ? error.toJSON()
            : { error: 'internal', message: String((error as Error)?.message ?? error) };
        ctx.io.stdout(`${JSON.stringify({ ok: false, ...body }, null, 2)}\n`);
      } else {
        ctx.io.stderr(`${formatError(error)}\n`);
      }
      if (!(error instanceof GranaryError) && ctx.io.env.GRANARY_DEBUG)
        ctx.io.stderr(`${(error as Error)?.stack ?? ''}\n`);
    }
  };
}
