/** The `granary` command line: parses flags and hands over to curator/ or client/. */
import { Command, CommanderError, Option } from 'commander';
import { createContext, reportError, type CommandContext } from './command.js';
import { processIo, type Io } from './io.js';
import { commands } from './commands/index.js';

export const VERSION = '0.1.0';

/** Build the program; each command registers itself from cli/commands/. */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('granary')
    .description('A package registry made of a Git repository, a curator bot and static files.')
    .version(VERSION)
    .addOption(
      new Option('-q, --quiet', 'print nothing but errors (and a failed check, and the result with --json)').conflicts(
        'verbose',
      ),
    )
    .option(
      '-v, --verbose',
      'a line on stderr for every step (each package fetched, each git call of curate) instead of a progress bar',
    )
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) });
  for (const register of commands) register(program, ctx);
  for (const sub of program.commands) configureDeep(sub, ctx);
  return program;
}

function configureDeep(command: Command, ctx: CommandContext): void {
  command.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) });
  for (const sub of command.commands) configureDeep(sub, ctx);
}

/** Run the command line; returns the exit code (0 ok, 1 invalid input or failed check, 2 usage or environment). */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const ctx = createContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      // An unknown command or option, a missing argument: commander has said so on stderr.
      return 2;
    }
    // Thrown outside an action (an option's parser): reported like an action's failure.
    return reportError(io, error, false);
  }
  return ctx.exitCode;
}
