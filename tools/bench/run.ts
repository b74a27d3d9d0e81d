/** `npm run bench [-- NAME...]`: runs every benchmark (or the named ones) and prints figures, floors and ratios. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const suites = [
  'validate',
  'pack',
  'index',
  'resolve',
  'install',
  'refresh',
  'startup',
  'app',
  'names',
  'gate',
  'site',
];

function format(r: BenchResult): string {
  const value = `${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}`;
  const floor = r.floor === undefined ? '' : `  floor ${r.floor.toFixed(r.floor < 10 ? 2 : 0)} ${r.unit}`;
  const ratio = r.ratio === undefined ? '' : `  ratio ${r.ratio.toFixed(2)}x`;
  const target = r.target ? `  target ${r.target}` : '';
  const verdict = r.ok === undefined ? '' : r.ok ? '  ok' : '  MISSED';
  const note = r.note ? `  (${r.note})` : '';
  return `  ${r.name}: ${value}${floor}${ratio}${target}${verdict}${note}`;
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const chosen = wanted.length > 0 ? suites.filter((s) => wanted.includes(s)) : suites;
  let missed = 0;
  for (const suite of chosen) {
    const file = join(here, `${suite}.ts`);
    if (!existsSync(file)) {
      console.log(`${suite}: no benchmark yet`);
      continue;
    }
    console.log(`${suite}:`);
    const mod = (await import(file)) as { run: () => Promise<BenchResult[]> };
    const results = await mod.run();
    for (const r of results) {
      console.log(format(r));
      if (r.ok === false) missed++;
    }
  }
  console.log(missed === 0 ? 'all targets met' : `${missed} target(s) missed`);
  return missed === 0 ? 0 : 1;
}

process.exitCode = await main();
