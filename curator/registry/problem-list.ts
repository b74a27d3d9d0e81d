/** Collects problems with their rule ids; one place decides how a location is written. */
import type { Problem } from '../../core/errors.js';

export interface At {
  line: number;
  col: number;
}

export const START: At = { line: 1, col: 1 };

export class ProblemList {
  readonly items: Problem[] = [];

  error(file: string, at: At, rule: string, message: string): void {
    this.items.push({ file, line: at.line, col: at.col, severity: 'error', rule, message });
  }

  warning(file: string, at: At, rule: string, message: string): void {
    this.items.push({ file, line: at.line, col: at.col, severity: 'warning', rule, message });
  }

  add(problems: readonly Problem[]): void {
    this.items.push(...problems);
  }

  /** Whether `file` has an error so far. */
  hasErrors(file: string): boolean {
    return this.items.some((p) => p.file === file && p.severity === 'error');
  }

  /** Problems in a stable order (file, line, column), duplicates removed. */
  sorted(): Problem[] {
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const p of this.items) {
      const key = `${p.file}\0${p.line}\0${p.col}\0${p.rule}\0${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  }
}
