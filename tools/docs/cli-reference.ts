/** Renders the command reference (docs/cli-reference.md) from the program itself, so docs and commands cannot drift apart. */
import type { Command, Option } from 'commander';
import { buildProgram } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';

function optionRow(o: Option): string {
  const def =
    o.defaultValue === undefined || o.defaultValue === false ? '' : ` (default: \`${JSON.stringify(o.defaultValue)}\`)`;
  return `| \`${o.flags}\` | ${o.description}${def} |`;
}

function usageOf(c: Command, parents: string[]): string {
  return [...parents, c.name(), c.usage()].filter(Boolean).join(' ');
}

function render(c: Command, parents: string[], out: string[]): void {
  const subs = c.commands.filter((s) => s.name() !== 'help');
  const title = [...parents, c.name()].join(' ');
  out.push(`## \`${title}\``, '', c.description(), '');
  if (subs.length === 0) {
    out.push('```', usageOf(c, parents), '```', '');
    const args = c.registeredArguments;
    if (args.length > 0) {
      out.push('| argument | meaning |', '| --- | --- |');
      for (const a of args) out.push(`| \`${a.name()}\`${a.required ? '' : ' (optional)'} | ${a.description || ''} |`);
      out.push('');
    }
    const options = c.options.filter((o) => !o.hidden);
    if (options.length > 0) {
      out.push('| option | meaning |', '| --- | --- |', ...options.map(optionRow), '');
    }
  }
  for (const s of subs) render(s, [...parents, c.name()], out);
}

/** The Markdown of the command reference. */
export function cliReference(): string {
  const program = buildProgram({ io: memoryIo(), exitCode: 0 });
  const out = [
    '# Command reference',
    '',
    'Generated from the `granary` program by `npm run docs`; a test fails when it is out of date.',
    'Every command takes `--json` and `--help`, and exits 0 when it succeeded, 1 when the input was invalid or a check failed, 2 on a usage or environment error.',
    '',
  ];
  for (const c of program.commands.filter((s) => s.name() !== 'help')) render(c, ['granary'], out);
  return `${out.join('\n').trimEnd()}\n`;
}
