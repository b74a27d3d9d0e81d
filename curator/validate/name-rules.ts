/** Rules for a new package's name: not reserved, not confusingly close to an existing one. */
import { damerauLevenshtein, nameError } from '../../core/names.js';

/** Why `name` is reserved (whole name or, for scoped names, the base), or undefined. */
export function reservedError(name: string, reserved: readonly string[]): string | undefined {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const hit = reserved.find((r) => r === name || (!name.startsWith('@') && r === base));
  if (!hit) return undefined;
  return `the name ${name} is reserved by the registry; a trustee must approve its use`;
}

/** Branch names a registry repository has or usually has; `HEAD` is compared lowercased, as names are. */
const BRANCH_NAMES = ['main', 'master', 'gh-pages', 'head', 'index'];

/**
 * Why `name` cannot be a package at all, trustee or not: its release tag would share a name with a
 * branch of the registry repository, and `git push origin main` would then be ambiguous.
 */
export function branchNameError(name: string, indexBranch: string): string | undefined {
  if (!BRANCH_NAMES.includes(name) && name !== indexBranch) return undefined;
  return `the name ${name} is also a branch name of the registry repository (its release tag would make pushes to that branch ambiguous); choose another name`;
}

/**
 * Why two package names of one scope would be mistaken for each other, or undefined. The same verdict
 * whichever name came first, tuned on the real PureScript registry's names so that established families do
 * not need a trustee while typosquats do (docs/validation.md, `name-similar`):
 *
 * - names that look the same once case, `-` and `_` are set aside and look-alike letters are read as one
 *   (`rn`/`m`, `vv`/`w`, `cl`/`d`, `1`/`l`, `0`/`o`): `pre1ude` for `prelude`, `leftpad` for `left-pad`;
 * - otherwise one typing slip (a letter missing, added, changed or two swapped: `prelud`, `arrrays`), or
 *   two in names longer than 8 letters, inside a word of at least 5 letters. Not a slip: whole words
 *   added or removed (`yoga-fetch-om`), a word with a prefix of its own (`unsafe-coerce`, `functor-coproducts`),
 *   a plural or variant ending (`s`, `y`, `t`, a digit: `options`, `resourcet`, `node-http2`), different short
 *   words (`bucketchain-cors`/`-csrf`), and names shorter than 5 letters, which are too few to tell apart.
 */
export function confusable(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const fa = fold(a);
  const fb = fold(b);
  if (fa === fb || skeleton(fa) === skeleton(fb)) return 'looks the same as';
  const wa = a.split('-');
  const wb = b.split('-');
  if (extraWords(wa, wb) || extraWords(wb, wa)) return undefined;
  if (wa.length === wb.length) {
    const differing = wa.flatMap((w, i) => (w === wb[i] ? [] : [[w, wb[i]!] as const]));
    if (differing.length !== 1) return undefined;
    const [x, y] = differing[0]!;
    if (prefixed(x, y) || prefixed(y, x)) return undefined;
    return slip(x, y) ? 'is one typing slip from' : undefined;
  }
  return slip(fa, fb) ? 'is one typing slip from' : undefined;
}

/** Lowercase, without `-` and `_`. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** Letters that look alike read as one. */
function skeleton(folded: string): string {
  return folded.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd').replace(/1/g, 'l').replace(/0/g, 'o');
}

/** Whether `longer` is `shorter` with whole words added (in order). */
function extraWords(longer: string[], shorter: string[]): boolean {
  if (longer.length <= shorter.length) return false;
  let i = 0;
  for (const word of longer) if (i < shorter.length && word === shorter[i]) i++;
  return i === shorter.length;
}

/** Whether `word` is `base` with a prefix of at least two letters (`unsafe`/`safe`, `coproducts`/`products`). */
function prefixed(word: string, base: string): boolean {
  return word.length >= base.length + 2 && word.endsWith(base);
}

const VARIANT_ENDING = /^[syt0-9]$/;

/** Whether `x` and `y` are one typing slip apart (two for long words), as the rule above reads it. */
function slip(x: string, y: string): boolean {
  const shorter = Math.min(x.length, y.length);
  if (shorter < 5) return false;
  const max = shorter <= 8 ? 1 : 2;
  const distance = damerauLevenshtein(x, y, max);
  if (distance > max) return false;
  if (distance === 1) {
    const [s, l] = x.length < y.length ? [x, y] : [y, x];
    // A plural or variant ending added: `option`/`options`, `resource`/`resourcet`, `node-http`/`node-http2`.
    if (l.length === s.length + 1 && l.startsWith(s) && VARIANT_ENDING.test(l.at(-1)!)) return false;
    // Variants told apart by a digit: `bootstrap4`/`bootstrap5`, `functor1`/`functors`.
    if (x.length === y.length && x.slice(0, -1) === y.slice(0, -1) && /[0-9]/.test(x.at(-1)! + y.at(-1)!)) return false;
  }
  return true;
}

/** Names that would be mistaken for `name`: published ones and others new in the same change, said apart. */
export function similarError(
  name: string,
  others: { published: Iterable<string>; proposed?: Iterable<string> },
): string | undefined {
  const scope = (n: string) => (n.startsWith('@') ? n.slice(0, n.indexOf('/')) : '');
  const base = (n: string) => (n.startsWith('@') ? n.slice(n.indexOf('/') + 1) : n);
  const hits = (names: Iterable<string>) => {
    const out: string[] = [];
    for (const other of names) {
      if (other === name || nameError(other) || scope(other) !== scope(name)) continue;
      const why = confusable(base(name), base(other));
      if (why) out.push(`${why} ${other}`);
    }
    return out.sort();
  };
  const published = hits(others.published);
  const proposed = hits(others.proposed ?? []);
  if (published.length === 0 && proposed.length === 0) return undefined;
  const parts = [
    ...(published.length > 0 ? [`${published.slice(0, 5).join(', ')} (in the registry)`] : []),
    ...(proposed.length > 0 ? [`${proposed.slice(0, 5).join(', ')} (new in this pull request)`] : []),
  ];
  return `the name ${name} ${parts.join('; ')}: people would take one for the other; choose a more distinct name, or ask a trustee to approve`;
}
