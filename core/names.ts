/** Package names: syntax, scopes, similarity, and the file and tag names derived from them. */

export const MAX_NAME_LENGTH = 64;
const PART = /^[a-z][a-z0-9-]*$/;

export interface ParsedName {
  /** The whole name, `@scope/base` or `base`. */
  full: string;
  scope: string | undefined;
  base: string;
}

/** Why `name` is not a valid package name, or undefined if it is. */
export function nameError(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a name must be a non-empty string';
  if (name.length > MAX_NAME_LENGTH + 1 + MAX_NAME_LENGTH + 1)
    return `a name is at most ${MAX_NAME_LENGTH} characters (plus an optional @scope/)`;

  if (/[^\x21-\x7e]/.test(name))
    return 'a name is lowercase ASCII only: no spaces, control characters or unicode look-alikes';
  let base = name;
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash < 0) return 'a scoped name looks like @scope/name';
    const scope = name.slice(1, slash);
    base = name.slice(slash + 1);
    if (!PART.test(scope)) return `scope "${scope}" must match [a-z][a-z0-9-]*`;
    if (scope.length > MAX_NAME_LENGTH) return `a scope is at most ${MAX_NAME_LENGTH} characters`;
  }
  if (base.length > MAX_NAME_LENGTH) return `a name is at most ${MAX_NAME_LENGTH} characters`;
  if (!PART.test(base)) return 'a name must match [a-z][a-z0-9-]* (lowercase letter first; letters, digits and "-")';
  return undefined;
}

/** Split a valid name into scope and base; throws on an invalid one. */
export function parseName(name: string): ParsedName {
  const error = nameError(name);
  if (error) throw new TypeError(`invalid package name ${JSON.stringify(name)}: ${error}`);
  if (!name.startsWith('@')) return { full: name, scope: undefined, base: name };
  const slash = name.indexOf('/');
  return { full: name, scope: name.slice(1, slash), base: name.slice(slash + 1) };
}

/**
 * The asset file stem for a name: `base`, or `scope_base` for scoped names.
 * `_` never occurs in names, so the mapping is one-to-one and uses only `[A-Za-z0-9._-]`.
 */
export function assetStem(name: string): string {
  const { scope, base } = parseName(name);
  return scope === undefined ? base : `${scope}_${base}`;
}

/** `<stem>-<version>.tar.gz`: the tarball's asset name. */
export function tarballName(name: string, version: string): string {
  return `${assetStem(name)}-${version}.tar.gz`;
}

/**
 * The release tag of a package: the name itself (`/` of a scope kept); continuation
 * releases (GitHub allows 1000 assets per release) are `<name>.<n>` for n ≥ 2 (`.` never occurs in names).
 */
export function releaseTag(name: string, part = 1): string {
  parseName(name);
  if (!Number.isInteger(part) || part < 1) throw new RangeError(`release part must be a positive integer, got ${part}`);
  return part === 1 ? name : `${name}.${part}`;
}

/**
 * The release tag of one version in the per-version layout: `<name>@<version>` (`left-pad@1.2.0`,
 * `@acme/widgets@2.0.0`). `@` occurs in a name only as its first character, so the last `@` splits it.
 */
export function versionReleaseTag(name: string, version: string): string {
  parseName(name);
  return `${name}@${version}`;
}

/** Folded form for similarity: lowercase, with `-` and `_` removed. */
export function foldName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** Optimal-string-alignment Damerau–Levenshtein distance, stopping early above `max`. */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** The similarity threshold: distance ≤ 1 for names of ≤ 8 characters, ≤ 2 above. */
export function similarityThreshold(name: string): number {
  return foldName(name).length <= 8 ? 1 : 2;
}

/**
 * Existing names too similar to `name` (same scope only): equal after folding, or within the
 * Damerau–Levenshtein threshold. Exact matches of `name` itself are not reported.
 */
export function similarNames(name: string, existing: Iterable<string>): string[] {
  const target = parseName(name);
  const folded = foldName(target.base);
  const max = similarityThreshold(target.base);
  const hits: string[] = [];
  for (const other of existing) {
    if (other === name || nameError(other)) continue;
    const o = parseName(other);
    if (o.scope !== target.scope) continue;
    const f = foldName(o.base);
    if (f === folded || damerauLevenshtein(folded, f, max) <= max) hits.push(other);
  }
  return hits.sort();
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** Whether `login` has the shape of a GitHub user or organization login: letters, digits, single inner hyphens, at most 39. */
export function isGitHubLogin(login: string): boolean {
  return LOGIN.test(login);
}
