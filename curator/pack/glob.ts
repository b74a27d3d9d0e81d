/**
 * File globs in a subset whose matching cost is bounded by the product of pattern and path length:
 * `*` and `?` within one path segment, character classes `[abc]`, `[a-z]`, `[!a]`, and `**` for any
 * number of segments. Braces, extglobs such as `*(a|b)`, negation and escapes are refused when a
 * pattern is compiled, so no pattern anyone can put in a definition makes matching slow (a regular
 * expression engine backtracks exponentially on some of them).
 */

/** Why `pattern` is outside the subset, or undefined. */
export function globProblem(pattern: string): string | undefined {
  if (/[{}]/.test(pattern)) return 'uses braces ({a,b}): list each pattern on its own';
  if (/[()|]/.test(pattern)) return 'uses groups or extglobs ((…), @(…), *(…), a|b): list each pattern on its own';
  if (pattern.includes('\\')) return 'uses a backslash: paths use / and escapes are not supported';
  if (pattern.startsWith('!')) return 'is a negation: list the files to leave out under files.exclude';
  if (/\[[^\]]*$/.test(pattern)) return 'has an unclosed [ class';
  return undefined;
}

type Token = { any: true } | { one: true } | { set: (c: string) => boolean } | { char: string };

/** A segment pattern as tokens; `**` is kept apart by the caller. */
function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') {
      if (!('any' in (tokens[tokens.length - 1] ?? {}))) tokens.push({ any: true });
    } else if (c === '?') tokens.push({ one: true });
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      const body = segment.slice(i + 1, end);
      i = end;
      const negated = body.startsWith('!') || body.startsWith('^');
      const items = negated ? body.slice(1) : body;
      const ranges: Array<[string, string]> = [];
      for (let j = 0; j < items.length; j++) {
        if (items[j + 1] === '-' && j + 2 < items.length) {
          ranges.push([items[j]!, items[j + 2]!]);
          j += 2;
        } else ranges.push([items[j]!, items[j]!]);
      }
      tokens.push({ set: (ch) => ch !== '/' && ranges.some(([lo, hi]) => ch >= lo && ch <= hi) !== negated });
    } else tokens.push({ char: c });
  }
  return tokens;
}

/** Greedy wildcard matching with one backtrack point: O(tokens × text). */
function matchTokens(tokens: Token[], text: string): boolean {
  let t = 0;
  let s = 0;
  let star = -1;
  let mark = 0;
  while (s < text.length) {
    const token = tokens[t];
    if (token && 'any' in token) {
      star = t++;
      mark = s;
    } else if (token && ('one' in token || ('set' in token ? token.set(text[s]!) : token.char === text[s]))) {
      t++;
      s++;
    } else if (star >= 0) {
      t = star + 1;
      s = ++mark;
    } else return false;
  }
  while (t < tokens.length && 'any' in tokens[t]!) t++;
  return t === tokens.length;
}

type Segment = 'globstar' | { tokens: Token[]; literalDot: boolean };

/** Compile a pattern of the subset (check `globProblem` first); `dot` lets wildcards match names starting with `.`. */
export function compileGlob(pattern: string, options: { dot: boolean }): (path: string) => boolean {
  const segments: Segment[] = pattern
    .split('/')
    .map((s) => (s === '**' ? 'globstar' : { tokens: tokenize(s), literalDot: s.startsWith('.') }));
  const segmentMatches = (segment: Exclude<Segment, 'globstar'>, name: string): boolean =>
    (options.dot || segment.literalDot || !name.startsWith('.')) && matchTokens(segment.tokens, name);
  return (path) => {
    const names = path.split('/');
    // The same greedy walk over segments, `**` standing for any run of names (not dot names unless `dot`).
    let p = 0;
    let n = 0;
    let star = -1;
    let mark = 0;
    while (n < names.length) {
      const segment = segments[p];
      if (segment === 'globstar') {
        star = p++;
        mark = n;
      } else if (segment && segmentMatches(segment, names[n]!)) {
        p++;
        n++;
      } else if (star >= 0 && (options.dot || !names[mark]!.startsWith('.'))) {
        p = star + 1;
        n = ++mark;
      } else return false;
    }
    while (p < segments.length && segments[p] === 'globstar') p++;
    return p === segments.length;
  };
}
