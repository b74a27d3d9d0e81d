/**
 * Which SPDX license a license file's text is, and whether a definition's `license` agrees with it.
 *
 * The texts are the SPDX License List's (`spdx-license-list`); the comparison is the one SPDX's own
 * license matcher and licensee use: Sørensen–Dice similarity of the normalized texts, here over word
 * pairs so that a clause added or removed (BSD-2 versus BSD-3, MIT versus MIT-0) moves the score. The
 * normalization follows the SPDX matching guidelines: case, punctuation, copyright lines, URLs,
 * `licence`/`license` and the template placeholders do not count.
 */
import { createRequire } from 'node:module';
import parseExpression from 'spdx-expression-parse';

/** A text at least this alike to its best match is recognized as that license. */
const RECOGNIZED = 0.9;
/** A declared license this close to the best match's score agrees with the file (GPL-3.0-only and -or-later share a text). */
const AGREES_WITHIN = 0.03;
/** Longer files are not license texts (the longest SPDX text is about 100 KB). */
export const MAX_LICENSE_BYTES = 256 * 1024;

export interface LicenseMatch {
  id: string;
  /** Sørensen–Dice similarity, 0 to 1. */
  score: number;
}

interface SpdxEntry {
  licenseText: string;
}

let corpus: Map<string, Set<string>> | undefined;

/** The SPDX texts as word-pair sets, built once per process (about 0.4 s). */
function spdxCorpus(): Map<string, Set<string>> {
  if (corpus === undefined) {
    const require = createRequire(import.meta.url);
    const full = require('spdx-license-list/full') as Record<string, SpdxEntry>;
    corpus = new Map(Object.entries(full).map(([id, entry]) => [id, wordPairs(entry.licenseText)]));
  }
  return corpus;
}

/** The words of a license text as SPDX's matching guidelines compare them. */
function licenseWords(text: string): string[] {
  const kept = text
    .toLowerCase()
    .replace(/licence/g, 'license')
    .replace(/<[^>\n]{0,80}>/g, ' ')
    .split('\n')
    .filter((line) => !/^\W*(copyright\b|\(c\)|©|all rights reserved)/.test(line))
    .join('\n')
    .replace(/https?:\/\/\S+/g, ' ');
  return kept.split(/[^a-z0-9]+/).filter((w) => w !== '');
}

function wordPairs(text: string): Set<string> {
  const words = licenseWords(text);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) pairs.add(`${words[i]} ${words[i + 1]}`);
  return pairs;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size + b.size === 0) return 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const pair of small) if (large.has(pair)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Every SPDX license scored against `text`, best first. */
export function matchLicenseText(text: string): LicenseMatch[] {
  const pairs = wordPairs(text.slice(0, MAX_LICENSE_BYTES));
  return [...spdxCorpus()]
    .map(([id, known]) => ({ id, score: dice(pairs, known) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/** The license identifiers an SPDX expression names (`GPL-3.0+` names GPL-3.0); undefined if it does not parse. */
export function expressionLicenses(expression: string): string[] | undefined {
  let tree: parseExpression.Info;
  try {
    tree = parseExpression(expression);
  } catch {
    return undefined;
  }
  const ids: string[] = [];
  const walk = (node: parseExpression.Info): void => {
    if ('license' in node) ids.push(node.license);
    else {
      walk(node.left);
      walk(node.right);
    }
  };
  walk(tree);
  return ids;
}

export interface LicenseDisagreement {
  /** What the file reads as. */
  found: LicenseMatch;
  /** The declared license closest to the file, and how alike. */
  closestDeclared: LicenseMatch | undefined;
}

/**
 * Whether a license file's text disagrees with the declared expression: it is recognized as a license
 * none of the expression's identifiers is (or shares a text with). An unrecognized text (a custom
 * license, a short note) and an expression naming a `LicenseRef-` are not judged.
 */
export function licenseDisagreement(expression: string, text: string): LicenseDisagreement | undefined {
  const declared = expressionLicenses(expression);
  if (declared === undefined || declared.some((id) => !spdxCorpus().has(id))) return undefined;
  const matches = matchLicenseText(text);
  const found = matches[0];
  if (found === undefined || found.score < RECOGNIZED) return undefined;
  const closestDeclared = matches.find((m) => declared.includes(m.id));
  if (closestDeclared !== undefined && closestDeclared.score >= found.score - AGREES_WITHIN) return undefined;
  return { found, closestDeclared };
}

/** A package root's license files: LICENSE, LICENCE, COPYING, UNLICENSE, with any extension or suffix. */
export const LICENSE_FILE = /^(licen[cs]e|copying|unlicense)([.-][^/]*)?$/i;
