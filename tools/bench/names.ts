/**
 * The name-similar rule on the real PureScript registry's names: how many pairs of names that the registry
 * holds side by side it would flag (each such pair is a false positive: they are different packages
 * people use), against the same count for the plain distance rule the client's "did you mean" uses, and
 * whether the typosquats it must catch are still caught.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nameError, similarNames } from '../../core/names.js';
import { confusable } from '../../curator/validate/name-rules.js';
import { hasPurescriptData, purescriptDataDir, skippedWithoutData } from './purescript-definitions.js';
import type { BenchResult } from './types.js';

const TARGET = 10;
const TYPOSQUATS: Array<[string, string]> = [
  ['prelud', 'prelude'],
  ['pre1ude', 'prelude'],
  ['arrrays', 'arrays'],
  ['perlude', 'prelude'],
  ['eff3ct', 'effect'],
  ['halogenhooks', 'halogen-hooks'],
];

export async function run(): Promise<BenchResult[]> {
  const dir = purescriptDataDir();
  if (!hasPurescriptData(dir)) return skippedWithoutData('name-similar false positives', 'pairs', dir);
  const names = readdirSync(join(dir, 'metadata'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((n) => nameError(n) === undefined)
    .sort();
  const flagged: string[] = [];
  let plain = 0;
  for (let i = 0; i < names.length; i++) {
    plain += similarNames(names[i]!, names.slice(i + 1)).length;
    for (let j = i + 1; j < names.length; j++)
      if (confusable(names[i]!, names[j]!)) flagged.push(`${names[i]}/${names[j]}`);
  }
  const missed = TYPOSQUATS.filter(([a, b]) => confusable(a, b) === undefined).map(([a, b]) => `${a}/${b}`);
  return [
    {
      name: `name-similar false positives among ${names.length} real names`,
      value: flagged.length,
      unit: 'pairs',
      floor: plain,
      ratio: flagged.length / plain,
      target: `<= ${TARGET} pairs`,
      ok: flagged.length <= TARGET,
      note: `floor: the plain distance rule; flagged: ${flagged.join(', ')}`,
    },
    {
      name: 'typosquats caught',
      value: TYPOSQUATS.length - missed.length,
      unit: `of ${TYPOSQUATS.length}`,
      target: 'all',
      ok: missed.length === 0,
      note: missed.length === 0 ? TYPOSQUATS.map(([a, b]) => `${a}→${b}`).join(', ') : `missed: ${missed.join(', ')}`,
    },
  ];
}
