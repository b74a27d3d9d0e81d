// The exit codes docs/cli-reference.md gives ("Exit codes"): 0 ok, 1 what was read is invalid or a check
// failed, 2 usage or environment, the network included.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../cli/command.js';
import { memoryIo } from '../../cli/io.js';
import { SourceError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { line } from '../resolve/memory-registry.js';
import { defPath, definition, registry } from '../validate/fixture.js';
import { granary, indexDir, unreachableUrl } from './fixture.js';

const PACKAGES = { a: [line('a', '1.0.0', { dependencies: { b: '^1.0.0' } })], b: [line('b', '1.0.0')] };

describe('exit codes', () => {
  it('an unreachable registry is an environment failure: 2, temporary, naming the URL', async () => {
    const { key } = await indexDir(PACKAGES);
    const url = await unreachableUrl();
    const text = await granary(['resolve', 'a', '--registry', url, '--trust-key', key.publicKey]);
    expect(text.code).toBe(2);
    expect(text.err).toMatch(/^error: could not reach the registry: ECONNREFUSED \(gave up after 4 attempts\)$/m);
    expect(text.err).toContain(`at: ${url}metadata/1.root.json`);
    expect(text.err).toContain('retry: this failure is temporary');

    const json = await granary(['info', 'a', '--registry', url, '--trust-key', key.publicKey, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, error: 'source', temporary: true });
  });

  it('a malformed --trust-key is a usage error naming the flag: 2', async () => {
    const { dir } = await indexDir(PACKAGES);
    const r = await granary(['resolve', 'a', '--registry', dir, '--trust-key', 'ed25519:not-a-key']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: --trust-key is not an Ed25519 public key: "ed25519:not-a-key"$/m);
    expect(r.err).toContain('fix: pass the public key as `granary keygen` prints it');

    const fromEnv = await granary(['info', 'a', '--registry', dir, '--json'], {
      env: { GRANARY_TRUST_KEY: 'nonsense' },
    });
    expect(fromEnv.code).toBe(2);
    expect(JSON.parse(fromEnv.out)).toMatchObject({
      error: 'usage',
      message: 'GRANARY_TRUST_KEY is neither a public key nor a file that holds one: "nonsense"',
    });
  });

  it('an unknown command or option, or a missing argument, is a usage error: 2', async () => {
    const command = await granary(['instal', 'a']);
    expect(command.code).toBe(2);
    expect(command.err).toMatch(/unknown command 'instal'/);
    const option = await granary(['resolve', 'a', '--registy', 'x']);
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/unknown option '--registy'/);
    const argument = await granary(['info']);
    expect(argument.code).toBe(2);
    expect(argument.err).toMatch(/missing required argument 'name'/);
  });

  it('a tampered index is refused: 1', async () => {
    const { dir, key, files } = await indexDir(PACKAGES);
    const original = files.get('1/b')!;
    const stored = `1/${sha256Hex(Buffer.from(original))}.b`;
    await writeFile(join(dir, stored), original.replace('"1.0.0"', '"1.0.1"'));
    const r = await granary(['info', 'b', '--registry', dir, '--trust-key', key.publicKey, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      error: 'trust',
      message: 'index file 1/b does not match the length and hash its signed metadata lists',
    });
  });

  it('a refused definition fails the check: 1', async () => {
    const repo = await registry({ [defPath('foo', '1.0.0')]: definition('foo', '1.0.0', { location: undefined }) });
    const r = await granary(['validate', '--repo', repo.dir, '--offline']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^packages\/foo\/1\.0\.0\.yaml:\d+:\d+: error: .*"location" \[schema\]$/m);
  });

  it('a request nothing satisfies is invalid input: 1', async () => {
    const { dir, key } = await indexDir(PACKAGES);
    const r = await granary(['resolve', 'b@^2.0.0', '--registry', dir, '--trust-key', key.publicKey]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no version of b matches ^2.0.0 (published: 1.0.0)');
  });

  it('an unexpected error exits 2; GRANARY_DEBUG prints its stack, and the stack of what caused an expected one', () => {
    const quiet = memoryIo();
    expect(reportError(quiet, new TypeError('boom'), false)).toBe(2);
    expect(quiet.err.join('')).toBe('error: boom\n');

    const debug = memoryIo({ env: { GRANARY_DEBUG: '1' } });
    expect(reportError(debug, new TypeError('boom'), false)).toBe(2);
    expect(debug.err.join('')).toMatch(/^error: boom\nTypeError: boom\n {4}at /);

    const wrapped = memoryIo({ env: { GRANARY_DEBUG: '1' } });
    const error = new SourceError('could not read', { cause: new RangeError('deep') });
    expect(reportError(wrapped, error, false)).toBe(1);
    expect(wrapped.err.join('')).toMatch(/^error: could not read\ncaused by: RangeError: deep\n {4}at /);

    const off = memoryIo({ env: { GRANARY_DEBUG: '0' } });
    reportError(off, new TypeError('boom'), false);
    expect(off.err.join('')).toBe('error: boom\n');
  });
});
