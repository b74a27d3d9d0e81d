/** The contract of progress reporting, shared by the client and the curator; client/progress.ts draws it. */

export interface Progress {
  /** `total` steps are coming; `bytes`, when known, is what they weigh together (downloads). */
  start(total: number, what: string, bytes?: number): void;
  /** One step done; `label` is what finished (e.g. `name@version`), `bytes` what it weighed. */
  advance(label: string, bytes?: number): void;
  stop(): void;
}

/** For pipes, `--json`, `--quiet` and tests. */
export const silentProgress: Progress = { start() {}, advance() {}, stop() {} };
