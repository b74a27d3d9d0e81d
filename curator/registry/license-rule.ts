/** A definition's `license`: an SPDX license expression (spdx-expression-parse), with a suggestion when it is not. */
import parseExpression from 'spdx-expression-parse';
import correct from 'spdx-correct';

/** Why `expression` is not an SPDX license expression, or undefined. */
export function licenseError(expression: string): string | undefined {
  if (expression.trim() === '') return 'a license must not be empty';
  const fail = (what: string) =>
    `${JSON.stringify(expression.slice(0, 80))} is not an SPDX license expression (${what})`;
  // SPDX writes its operators in capitals; a lowercase one is more often prose than an expression.
  const lowercase = /(^|[\s()])(and|or|with)(?=[\s()]|$)/i.exec(expression)?.[2];
  if (lowercase !== undefined && lowercase !== lowercase.toUpperCase())
    return fail(`operators are written in capitals: ${lowercase.toUpperCase()}`);
  if (/(^|\s)(AND|OR|WITH)\s*\)*\s*$/.test(expression)) return fail('it ends where a license was expected');
  try {
    parseExpression(expression);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const offset = /at offset (\d+)/.exec(message)?.[1];
    const word = offset === undefined ? undefined : /^[A-Za-z0-9.+-]+/.exec(expression.slice(Number(offset)))?.[0];
    const why = /^Expected .\)/.test(message)
      ? 'a "(" is not closed'
      : word !== undefined
        ? `${JSON.stringify(word)} is not an SPDX license identifier`
        : message.replace(/`/g, '"').replace(/at offset (\d+)/, (_, n: string) => `at character ${Number(n) + 1}`);
    // spdx-correct knows single identifiers ("Apache 2.0", "GPLv3"), not expressions.
    const suggestion = /[()]|\s(AND|OR|WITH)\s/.test(expression) ? null : correct(expression, { upgrade: true });
    return suggestion
      ? `${fail(why)}; did you mean ${suggestion}?`
      : `${fail(why)}; write an identifier from https://spdx.org/licenses/ such as MIT or Apache-2.0, or an expression such as (MIT OR Apache-2.0)`;
  }
}
