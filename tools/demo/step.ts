/** One step of the demo: a title a person reads, and work that checks its own outcome. */
import type { DemoContext } from './context.js';

export interface DemoStep {
  title: string;
  /** Do the step and check it did what the title says; resolves to a one-line detail, throws DemoCheckFailed when a check fails. */
  run(ctx: DemoContext): Promise<string>;
}
