/** A small SPDX expression check: identifiers joined by AND / OR / WITH, with parentheses. */

const TOKEN = /\s*(\(|\)|[A-Za-z0-9.-]+\+?|\S)/y;
const OPERATORS = new Set(['AND', 'OR', 'WITH']);

/** Why `expression` is not a plausible SPDX license expression, or undefined. */
export function licenseError(expression: string): string | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN.exec(expression)) !== null) tokens.push(match[1]!);
  if (expression.trim() === '') return 'a license must not be empty';
  let i = 0;
  let depth = 0;
  const fail = (what: string) =>
    `${JSON.stringify(expression.slice(0, 80))} is not an SPDX license expression (${what}); write e.g. MIT, Apache-2.0 or (MIT OR Apache-2.0)`;
  const isId = (t: string | undefined) => t !== undefined && /^[A-Za-z0-9.-]+\+?$/.test(t) && !OPERATORS.has(t);
  // expr := term ((AND|OR) term)* ; term := '(' expr ')' | id [WITH id]
  const term = (): string | undefined => {
    const t = tokens[i];
    if (t === '(') {
      if (++depth > 20) return fail('too deeply nested');
      i++;
      const inner = expr();
      if (inner) return inner;
      if (tokens[i] !== ')') return fail('a "(" is not closed');
      i++;
      depth--;
      return undefined;
    }
    if (!isId(t))
      return fail(t === undefined ? 'it ends where a license was expected' : `unexpected ${JSON.stringify(t)}`);
    if (/^(and|or|with)$/i.test(t!)) return fail(`operators are written in capitals: ${t!.toUpperCase()}`);
    i++;
    if (tokens[i] === 'WITH') {
      i++;
      if (!isId(tokens[i])) return fail('WITH must be followed by an exception identifier');
      i++;
    }
    return undefined;
  };
  const expr = (): string | undefined => {
    const first = term();
    if (first) return first;
    while (tokens[i] === 'AND' || tokens[i] === 'OR') {
      i++;
      const next = term();
      if (next) return next;
    }
    return undefined;
  };
  const error = expr();
  if (error) return error;
  if (i < tokens.length) {
    const t = tokens[i]!;
    if (/^(and|or|with)$/i.test(t)) return fail(`operators are written in capitals: ${t.toUpperCase()}`);
    return fail(`unexpected ${JSON.stringify(t)}`);
  }
  return undefined;
}
