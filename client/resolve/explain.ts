/**
 * The derivation tree of a failed resolution as numbered English sentences, following pub's
 * error reporting: each step says "because X and Y, Z", shared steps get a number to refer back to.
 */
import { andText, incompatibilityText, type Universes } from './describe.js';
import type { Incompatibility } from './incompatibility.js';

type Derived = Incompatibility & { cause: { kind: 'conflict'; conflict: Incompatibility; other: Incompatibility } };

function isDerived(i: Incompatibility): i is Derived {
  return i.cause.kind === 'conflict';
}

/** Explain why `root` (the solver's final incompatibility) holds. */
export function explain(root: Incompatibility, u: Universes): string {
  const uses = new Map<Incompatibility, number>();
  const count = (i: Incompatibility): void => {
    const n = uses.get(i);
    uses.set(i, (n ?? 0) + 1);
    if (n === undefined && isDerived(i)) {
      count(i.cause.conflict);
      count(i.cause.other);
    }
  };
  count(root);
  const lines: Array<{ text: string; number?: number }> = [];
  const numbers = new Map<Incompatibility, number>();
  const text = (i: Incompatibility) => incompatibilityText(i, u);

  const write = (i: Incompatibility, message: string, numbered: boolean): void => {
    if (numbered) {
      const number = numbers.size + 1;
      numbers.set(i, number);
      lines.push({ text: message, number });
    } else {
      lines.push({ text: message });
    }
  };

  const isCollapsible = (i: Incompatibility): boolean => {
    if ((uses.get(i) ?? 0) > 1 || !isDerived(i)) return false;
    const { conflict, other } = i.cause;
    if (isDerived(conflict) === isDerived(other)) return false;
    return !numbers.has(isDerived(conflict) ? conflict : other);
  };

  const visit = (i: Derived, conclusion = false): void => {
    const numbered = conclusion || (uses.get(i) ?? 0) > 1;
    const conjunction = conclusion || i === root ? 'So, because' : 'And because';
    const self = text(i);
    const { conflict, other } = i.cause;
    if (isDerived(conflict) && isDerived(other)) {
      const cLine = numbers.get(conflict);
      const oLine = numbers.get(other);
      if (cLine !== undefined && oLine !== undefined) {
        write(i, `Because ${andText(conflict, other, u, cLine, oLine)}, ${self}.`, numbered);
      } else if (cLine !== undefined || oLine !== undefined) {
        const [withLine, without, line] = cLine !== undefined ? [conflict, other, cLine] : [other, conflict, oLine!];
        visit(without);
        write(i, `${conjunction} ${text(withLine)} (${line}), ${self}.`, numbered);
      } else {
        const singleConflict = !isDerived(conflict.cause.conflict) && !isDerived(conflict.cause.other);
        const singleOther = !isDerived(other.cause.conflict) && !isDerived(other.cause.other);
        if (singleConflict || singleOther) {
          const [first, second] = singleOther ? [conflict, other] : [other, conflict];
          visit(first);
          visit(second);
          write(i, `Thus, ${self}.`, numbered);
        } else {
          visit(conflict, true);
          lines.push({ text: '' });
          visit(other);
          write(i, `${conjunction} ${text(conflict)} (${numbers.get(conflict)}), ${self}.`, numbered);
        }
      }
    } else if (isDerived(conflict) || isDerived(other)) {
      const derived = (isDerived(conflict) ? conflict : other) as Derived;
      const external = isDerived(conflict) ? other : conflict;
      const line = numbers.get(derived);
      if (line !== undefined) {
        write(i, `Because ${andText(external, derived, u, undefined, line)}, ${self}.`, numbered);
      } else if (isCollapsible(derived)) {
        const inner = derived.cause;
        const innerDerived = (isDerived(inner.conflict) ? inner.conflict : inner.other) as Derived;
        const innerExternal = isDerived(inner.conflict) ? inner.other : inner.conflict;
        visit(innerDerived);
        write(i, `${conjunction} ${andText(innerExternal, external, u)}, ${self}.`, numbered);
      } else {
        visit(derived);
        write(i, `${conjunction} ${text(external)}, ${self}.`, numbered);
      }
    } else {
      write(i, `Because ${andText(conflict, other, u)}, ${self}.`, numbered);
    }
  };

  if (isDerived(root)) visit(root);
  else write(root, `Because ${text(root)}, your request cannot be satisfied.`, false);

  const width = numbers.size === 0 ? 0 : `(${numbers.size}) `.length;
  const out: string[] = [];
  for (const line of lines) {
    if (line.text === '') {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      continue;
    }
    const prefix = line.number === undefined ? ' '.repeat(width) : `(${line.number}) `.padEnd(width);
    out.push(`${prefix}${line.text}`);
  }
  return out.join('\n');
}
