/** The progress a running command shows, chosen from where stderr goes and the output options. */
import { progressFor, type Progress } from '../client/index.js';
import type { CommandContext } from './command.js';

/** A bar on a terminal, a line per step elsewhere, every step with --verbose, nothing with --json or --quiet. */
export function progressOf(ctx: CommandContext): Progress {
  return progressFor({ ...ctx.output, isTTY: ctx.io.isTTY, write: (text) => ctx.io.stderr(text) });
}
