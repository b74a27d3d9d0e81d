/** Where a command writes, so commands run the same in-process (tests) and as a process. */

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: progress is a bar there, a line per step elsewhere (CI logs). */
  isTTY: boolean;
}

export function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** An Io that records what was written: for tests and for callers that want the text. */
export function memoryIo(overrides: Partial<Io> = {}): Io & { out: string[]; err: string[]; text(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    text: () => out.join(''),
    ...overrides,
  };
}
