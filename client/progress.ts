/** Progress of a multi-package operation: a bar on a terminal, nothing otherwise. */
import cliProgress from 'cli-progress';

export interface Progress {
  /** `total` steps are coming. */
  start(total: number, what: string): void;
  /** One step done; `label` is what finished (e.g. `name@version`). */
  advance(label: string): void;
  stop(): void;
}

/** For pipes, `--json` and tests. */
export const silentProgress: Progress = { start() {}, advance() {}, stop() {} };

/** A single bar on `stream` (a terminal), cleared when done so the summary stays readable. */
export function terminalProgress(stream: NodeJS.WritableStream): Progress {
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, what) {
      if (total === 0) return;
      bar = new cliProgress.SingleBar(
        { stream, clearOnComplete: true, hideCursor: true, format: `${what} [{bar}] {value}/{total} {label}`, fps: 10 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { label: '' });
    },
    advance(label) {
      bar?.increment(1, { label });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** The bar when output goes to a terminal and is not JSON; silence otherwise. */
export function progressFor(options: {
  isTTY: boolean;
  json: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}): Progress {
  const stream = options.stream ?? process.stderr;
  return options.isTTY && !options.json && stream.isTTY ? terminalProgress(stream) : silentProgress;
}
