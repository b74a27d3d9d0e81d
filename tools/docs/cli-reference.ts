/** Renders the command reference (docs/cli-reference.md) from the program itself, so docs and commands cannot drift apart. */
import type { Command, Option } from 'commander';
import { buildProgram } from '../../cli/cli.js';
import { createContext } from '../../cli/command.js';
import { memoryIo } from '../../cli/io.js';
import { DownloadError } from '../../client/fetch/download-error.js';
import { LockfileMismatchError } from '../../client/lockfile.js';
import {
  AssetConflictError,
  ConcurrencyError,
  GitError,
  GitHubApiError,
  InputError,
  IntegrityError,
  LimitError,
  ResolutionError,
  SourceError,
  StoreError,
  TrustError,
  UnsafeArchiveError,
  UsageError,
  ValidationFailed,
  type GranaryError,
} from '../../core/errors.js';

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

/** Each error class with when it is raised: its `code` and exit code are read from the class itself. */
const ERRORS: Array<[GranaryError, string]> = [
  [
    new UsageError(''),
    'a flag, an argument, an environment variable or a config file is wrong or missing (a malformed `--trust-key`, a file it names that cannot be read, an unknown key in a config file), or the machine cannot run the command (no git)',
  ],
  [new InputError(''), 'a definition, an override, `registry.yaml`, a lockfile or an index file breaks a rule'],
  [new ValidationFailed([]), 'the checks found problems'],
  [
    new SourceError(''),
    "a package's source or a registry's index was read and refused: a missing tag, a URL that serves no index (an unreachable one is temporary: 2)",
  ],
  [new TrustError(''), 'a signature, key pin, expiry or rollback check failed: a tampered or stale index'],
  [new IntegrityError(''), 'bytes differ from the size or SHA-256 they were published with'],
  [new UnsafeArchiveError(''), 'a tarball would write outside its directory, or exceeds the extraction caps'],
  [new LimitError(''), 'a size, count or length limit of the registry was exceeded'],
  [new ResolutionError(''), 'no set of versions satisfies the request (the message explains why)'],
  [new LockfileMismatchError([], ''), '`--frozen`, and the lockfile no longer matches the SPECs or the index'],
  [new AssetConflictError(''), 'a published asset exists with other bytes; it is never overwritten'],
  [new GitError('', { reason: 'exit' }), 'git failed, ran out of time or printed too much'],
  [
    new DownloadError('', undefined),
    'an asset could not be downloaded or read (missing from a mirror, a server error)',
  ],
  [new StoreError(''), 'a release store failed: its directory, or the token or app lacks a permission'],
  [new GitHubApiError('', 0, undefined), 'GitHub refused a request (the message has its status and answer)'],
  [new ConcurrencyError(''), 'another curator run holds the index, or it moved: run again'],
];

function exitCodeTable(): string[] {
  return [
    '| `error` (with `--json`) | exit | when |',
    '| --- | --- | --- |',
    ...ERRORS.map(([e, when]) => `| \`${e.code}\` | ${e.exitCode} | ${when} |`),
    '| any, with `"temporary": true` | 2 | the network, a timeout, an HTTP 5xx or 429 answer, a rate limit: nothing was lost, run the same command again |',
    '| `internal` | 2 | an unexpected error (a bug): `GRANARY_DEBUG=1` prints its stack |',
    '| (none: commander says why) | 2 | an unknown command or option, a missing argument, `--quiet` with `--verbose` |',
  ];
}

const ENVIRONMENT = [
  '| variable | what it is |',
  '| --- | --- |',
  "| `GRANARY_REGISTRY` | `--registry` where a command takes it and it is not given, unless the project's lockfile names a registry (`install`, `update`, `remove`, `outdated`, `verify`, and `resolve`, `info`, `search` run in the project) |",
  "| `GRANARY_TRUST_KEY` | `--trust-key`: the key (`ed25519:…`), or a file that holds it (the `.pub` file `granary keygen` writes), unless the project's lockfile has a `publicKey` |",
  '| `GRANARY_TRUST_ROOT` | `--trust-root`: the path of a `root.json` |',
  '| `GRANARY_CACHE` | `--cache`; without either, `cache` in a config file, else `$XDG_CACHE_HOME/granary`, else `~/.cache/granary` |',
  '| `GRANARY_JOBS` | `--jobs`: parallel downloads of `install`, `update`, `remove`, `mirror` and `verify` |',
  "| `GRANARY_CONFIG` | the user's config file, instead of `$XDG_CONFIG_HOME/granary/config.yaml` (else `~/.config/granary/config.yaml`); it must exist (`/dev/null`: none) |",
  '| `GRANARY_SUBMIT_REGISTRY` | `--registry` of `submit`: the registry repository on GitHub (`owner/repo`); `submit` never reads `GRANARY_REGISTRY` |',
  '| `GRANARY_SIGNING_KEY` | `--sign-key` of `curate` and `index`: the online key, as PEM text or the path of a PEM file |',
  '| `GRANARY_DEBUG` | `1`: after an error, also print the stack trace of an unexpected error, and of whatever caused an expected one |',
  '| `GITHUB_TOKEN` (else `GH_TOKEN`), `GITHUB_API_URL` | the token and API of the commands that call GitHub (`--github`, `submit`, `doctor`, `automerge`) |',
];

/** The Markdown of the command reference. */
export function cliReference(): string {
  const program = buildProgram(createContext(memoryIo()));
  const out = [
    '# Command reference',
    '',
    'Generated from the `granary` program by `npm run docs`; a test fails when it is out of date.',
    'Every command takes `--json` and `--help`, and the options below.',
    '',
    '| option | meaning |',
    '| --- | --- |',
    ...program.options.filter((o) => !o.hidden && o.long !== '--version').map(optionRow),
    '',
    'Output: the result goes to stdout (as JSON with `--json`), everything else to stderr: errors, warnings, and',
    'progress of long operations (install, mirror, verify, curate, validate with `--base`). Progress is a bar when',
    'stderr is a terminal, and a line per step otherwise (`installing 3/12 json@2.0.0 (1.2 KB)`: every step up to',
    '50 steps, then every 5% and the last), so CI logs show it. `--json` and `--quiet` leave stderr to errors;',
    '`--verbose` writes every step as a line, even with `--json` (stdout keeps the JSON).',
    '',
    '## Exit codes',
    '',
    '0 when the command succeeded; 1 when what it read was invalid or a check failed (`validate`, `verify`,',
    '`doctor`, a refused change in `curate`: the report says what); 2 on a usage or environment error: how the',
    'command was called, or where it ran. With `--json` a failure prints `{ "ok": false, "error": <code>, … }`.',
    '',
    ...exitCodeTable(),
    '',
    '## Environment',
    '',
    "A flag wins over its variable, and a variable over the config files; a project's lockfile names its registry",
    'and key, between the flag and the variable (see [client.md](client.md#configuration)). The curator app',
    '(`npm start`) reads variables of its own: see [operator-guide.md](operator-guide.md).',
    '',
    ...ENVIRONMENT,
    '',
  ];
  for (const c of program.commands.filter((s) => s.name() !== 'help')) render(c, ['granary'], out);
  return `${out.join('\n').trimEnd()}\n`;
}
