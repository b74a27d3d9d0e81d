/** Runs `granary …` in-process, capturing what it prints, so the demo shows the real command output. */
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';

export interface CliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  /** stdout then stderr, as a person at a terminal would see them. */
  text: string;
}

export type RunGranary = (args: string[]) => Promise<CliRun>;

/** A runner working in `cwd` with exactly `env` (nothing of the caller's environment leaks into the commands). */
export function granaryRunner(cwd: string, env: NodeJS.ProcessEnv): RunGranary {
  return async (args) => {
    const io = memoryIo({ cwd, env: { ...env } });
    const code = await main(args, io);
    const stdout = io.out.join('');
    const stderr = io.err.join('');
    return {
      args,
      code,
      stdout,
      stderr,
      text: [stdout, stderr].filter((s) => s !== '').join(stdout.endsWith('\n') || stdout === '' ? '' : '\n'),
    };
  };
}
