/** Progress of a multi-step operation: a bar on a terminal, a line per step elsewhere (CI logs), nothing when asked. */
import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';
import { formatBytes } from '../core/format-bytes.js';
import { silentProgress, type Progress } from '../core/progress.js';

export { silentProgress, type Progress };

/** Up to this many steps every one gets a line; above it, one line per 5% and the last. */
const EVERY_STEP_UP_TO = 50;

/** A single bar on `stream` (a terminal), cleared when done so the summary stays readable; it fills by bytes when the steps have sizes. */
export function terminalProgress(stream: NodeJS.WritableStream): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let steps = 0;
  let done = 0;
  let doneBytes = 0;
  let byBytes = false;
  const counts = () => ({ steps: `${done}/${steps}`, doneBytes: formatBytes(doneBytes) });
  return {
    start(total, what, bytes) {
      if (total === 0) return;
      steps = total;
      done = 0;
      doneBytes = 0;
      byBytes = bytes !== undefined && bytes > 0;
      const format = byBytes
        ? `${what} [{bar}] {doneBytes}/{totalBytes} ({steps}) {label}`
        : `${what} [{bar}] {steps} {label}`;
      // Loaded only when a bar is drawn: commands that draw none never load it.
      const bars = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
      bar = new bars.SingleBar(
        { stream, clearOnComplete: true, hideCursor: true, format, fps: 10 },
        bars.Presets.shades_classic,
      );
      bar.start(byBytes ? (bytes ?? 0) : total, 0, { label: '', totalBytes: formatBytes(bytes ?? 0), ...counts() });
    },
    advance(label, bytes) {
      if (bar === undefined) return;
      done++;
      doneBytes += bytes ?? 0;
      bar.increment(byBytes ? (bytes ?? 0) : 1, { label, ...counts() });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** One line per step on `write` (`installing 3/12 json@2.0.0 (1.2 KB)`), throttled above EVERY_STEP_UP_TO steps unless `every`. */
export function lineProgress(write: (text: string) => void, options: { every?: boolean } = {}): Progress {
  let total = 0;
  let done = 0;
  let what = '';
  return {
    start(steps, label) {
      total = steps;
      done = 0;
      what = label;
    },
    advance(label, bytes) {
      done++;
      if (options.every !== true && !isReported(done, total)) return;
      write(`${what} ${done}/${total} ${label}${bytes === undefined ? '' : ` (${formatBytes(bytes)})`}\n`);
    },
    stop() {},
  };
}

/** Whether step `done` of `total` gets a line: every step up to EVERY_STEP_UP_TO, else each 5% crossed and the last. */
export function isReported(done: number, total: number): boolean {
  if (total <= EVERY_STEP_UP_TO || done >= total) return true;
  return Math.floor((done * 20) / total) > Math.floor(((done - 1) * 20) / total);
}

export interface ProgressChoice {
  /** `--json`: stdout is for the result and stderr stays quiet. */
  json: boolean;
  /** `--quiet`: nothing but errors. */
  quiet?: boolean;
  /** `--verbose`: a line for every step, never a bar (with `--json` too: stdout keeps the JSON). */
  verbose?: boolean;
  /** Whether stderr is a terminal. */
  isTTY: boolean;
  /** Where lines go (default: `stream`). */
  write?: (text: string) => void;
  /** The terminal a bar is drawn on (default: process.stderr). */
  stream?: NodeJS.WritableStream;
}

/** A line per step with --verbose (even with --json); silent with --json or --quiet; else a bar on a terminal and throttled lines elsewhere. */
export function progressFor(options: ProgressChoice): Progress {
  const stream = options.stream ?? process.stderr;
  const write = options.write ?? ((text: string) => void stream.write(text));
  if (options.quiet === true) return silentProgress;
  if (options.verbose === true) return lineProgress(write, { every: true });
  if (options.json) return silentProgress;
  return options.isTTY ? terminalProgress(stream) : lineProgress(write);
}
