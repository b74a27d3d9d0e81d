import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { cliReference } from '../../tools/docs/cli-reference.js';
import { definitionReference, exampleDefinition, exampleOverride } from '../../tools/docs/definition-reference.js';
import { validateOverride, validatePackageDefinition } from '../../schema/validators.js';

const docs = new URL('../../docs/', import.meta.url);

async function helpCommands(args: string[]): Promise<string[]> {
  const io = memoryIo();
  expect(await main([...args, '--help'], io)).toBe(0);
  const text = io.text();
  const section = text.split(/^Commands:$/m)[1] ?? '';
  return section
    .split('\n')
    .map((l) => /^ {2}([a-z][a-z-]*)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== 'help');
}

describe('documentation', () => {
  it('docs/cli-reference.md is the reference the program generates (run `npm run docs`)', async () => {
    expect(await readFile(new URL('cli-reference.md', docs), 'utf8')).toBe(cliReference());
  });

  it('docs/definition-reference.md is generated from the schemas (run `npm run docs`)', async () => {
    expect(await readFile(new URL('definition-reference.md', docs), 'utf8')).toBe(definitionReference());
  });

  it('the reference documents exactly the commands `granary --help` lists', async () => {
    const listed = await helpCommands([]);
    const reference = await readFile(new URL('cli-reference.md', docs), 'utf8');
    const documented = [...reference.matchAll(/^## `granary ([a-z-]+)`$/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(0);
    expect(documented.sort()).toEqual([...listed].sort());
  });

  it('every `granary <command>` named anywhere in the docs exists', async () => {
    const listed = new Set(await helpCommands([]));
    const files = [
      new URL('../../README.md', import.meta.url),
      ...(await readdir(docs)).filter((f) => f.endsWith('.md')).map((f) => new URL(f, docs)),
    ];
    const unknown: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/`granary ([a-z][a-z-]*)/g))
        if (!listed.has(m[1]!)) unknown.push(`${file.pathname.split('/').pop()}: granary ${m[1]}`);
    }
    expect(unknown).toEqual([]);
  });

  it('the examples in the reference are valid files', () => {
    expect(validatePackageDefinition(exampleDefinition)).toBe(true);
    expect(validateOverride(exampleOverride)).toBe(true);
  });
});
