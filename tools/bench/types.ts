/** What every benchmark reports: a figure, the floor measured in the same run, and their ratio against a target. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same work done by the simplest tool that does it, measured in the same run. */
  floor?: number;
  /** value / floor */
  ratio?: number;
  /** The target in words, e.g. "ratio <= 1.3" or "< 2000 ms". */
  target?: string;
  ok?: boolean;
  note?: string;
}
